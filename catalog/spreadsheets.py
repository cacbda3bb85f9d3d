"""Catalog spreadsheets: reading XLSX/CSV into checked rows, and writing them back.

The file vocabulary (column headers, evidence labels) is Vietnamese whatever
the interface language, so a file means the same thing to everyone; it is
described in docs/catalog-format.md. Reading never raises anything but
``SpreadsheetError`` (a problem with the whole file) and reports each bad cell
as a ``Problem`` with its row and column, so an import can list them all.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kpi_portal.spreadsheets import Problem, Row, clean, loose_key, quote
from org.models import Agency, Unit

from .models import MAX_NORM_MINUTES, CatalogVersion, DeclaredTask, EvidenceKind, TaskGroup
from .services import StageInput, TaskInput

CODE = "Mã công việc"
NAME = "Tên công việc"
GROUP = "Nhóm"
STAGE_ORDER = "Thứ tự giai đoạn"
STAGE_NAME = "Tên giai đoạn"
NORM = "Định mức (phút)"
OUTPUT_UNIT = "Đơn vị sản phẩm"
EVIDENCE = "Minh chứng"
DESCRIPTION = "Mô tả"
CATALOG_HEADERS = [CODE, NAME, GROUP, STAGE_ORDER, STAGE_NAME, NORM, OUTPUT_UNIT, EVIDENCE, DESCRIPTION]
CATALOG_OPTIONAL = {DESCRIPTION}

DECLARED_TEXT = "Đầu việc kê khai"
DECLARED_UNIT = "Đơn vị kê khai"
DECLARED_CODE = "Mã công việc chuẩn"
DECLARED_HEADERS = [DECLARED_TEXT, DECLARED_UNIT, DECLARED_CODE]
DECLARED_OPTIONAL = {DECLARED_CODE}

EVIDENCE_LABELS: dict[str, str] = {
    EvidenceKind.DOCUMENT: "Công văn đi",
    EvidenceKind.MEETING: "Cuộc họp, đi cơ sở",
    EvidenceKind.NONE: "Không",
}
CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_.-]*$")


def fold(text: str) -> str:
    """A vocabulary word as compared: without accents, case, punctuation or repeated spaces
    (“Cuộc họp, đi cơ sở”, “cuoc hop - di co so” and “CUỘC HỌP; ĐI CƠ SỞ” are one word)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[\W_]+", " ", bare).split()).casefold()


# How people write each value in their spreadsheets, besides the label the export writes (the table in
# docs/catalog-format.md lists them; a test keeps the two together). Compared with ``fold``.
EVIDENCE_SPELLINGS: dict[str, tuple[str, ...]] = {
    EvidenceKind.DOCUMENT: (
        "Công văn đi",
        "Công văn",
        "Văn bản",
        "Văn bản đi",
        "Công văn, văn bản đi",
        "CV đi",
        "document",
    ),
    EvidenceKind.MEETING: (
        "Cuộc họp, đi cơ sở",
        "Cuộc họp",
        "Họp",
        "Hội họp",
        "Hội nghị",
        "Đi cơ sở",
        "Công tác cơ sở",
        "Lịch họp",
        "meeting",
    ),
    EvidenceKind.NONE: ("Không", "Không có", "Không cần", "none", "-", "—"),
}
GROUP_SPELLINGS: dict[str, tuple[str, ...]] = {
    TaskGroup.A: ("A", "Nhóm A", "Lãnh đạo, quản lý"),
    TaskGroup.B: ("B", "Nhóm B", "Chuyên môn dùng chung"),
    TaskGroup.C: ("C", "Nhóm C", "Chuyên môn đặc thù"),
    TaskGroup.D: ("D", "Nhóm D", "Khác"),
}
# A dash has no letters to compare: it is kept as it is (and “?” stays unknown).
_EVIDENCE_WORDS = {fold(word) or word: kind for kind, words in EVIDENCE_SPELLINGS.items() for word in words}
_GROUP_WORDS = {fold(word): group for group, words in GROUP_SPELLINGS.items() for word in words}


def _positive_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = clean(value)
    return int(text) if text.isdigit() else None


def _group(value: object) -> str | None:
    """A group from its letter (“C”, “c”, “Nhóm C”, “C · Chuyên môn đặc thù”) or its name."""
    text = fold(clean(value))
    if text in _GROUP_WORDS:
        return _GROUP_WORDS[text]
    letter = text.removeprefix("nhom ").split(" ", 1)[0]
    return letter.upper() if letter in ("a", "b", "c", "d") else None


def _evidence(value: object) -> str | None:
    """An evidence kind from any of its spellings (``EVIDENCE_SPELLINGS``); empty means none."""
    text = clean(value)
    if not text:
        return EvidenceKind.NONE
    return _EVIDENCE_WORDS.get(fold(text) or text)


def parse_catalog(rows: Iterable[Row]) -> tuple[list[TaskInput], list[Problem]]:
    """Tasks with their stages from catalog rows (one row a stage), and every problem found."""
    problems: list[Problem] = []
    tasks: dict[str, dict] = {}
    stage_rows: dict[tuple[str, int], int] = {}

    def problem(row: Row, column: str, message: str) -> None:
        problems.append(Problem(row.number, column, message))

    for row in rows:
        c = row.cells
        code = clean(c.get(CODE)).upper()
        if not code:
            problem(row, CODE, _("The task code is empty."))
            continue
        if not CODE_RE.match(code) or len(code) > 20:
            problem(
                row,
                CODE,
                _("“%(code)s” is not a valid code: use letters, digits, dots or hyphens, at most 20.")
                % {"code": quote(code)},
            )
            continue
        fields = {
            "name": clean(c.get(NAME)),
            "group": _group(c.get(GROUP)),
            "output_unit": clean(c.get(OUTPUT_UNIT)),
            "evidence_kind": _evidence(c.get(EVIDENCE)),
            "description": clean(c.get(DESCRIPTION), multiline=True),
        }
        if not fields["name"]:
            problem(row, NAME, _("The task name is empty."))
        elif len(fields["name"]) > 255:
            problem(row, NAME, _("The task name is longer than 255 characters."))
        if fields["group"] is None:
            problem(
                row,
                GROUP,
                _("The group must be A, B, C or D; found “%(value)s”.") % {"value": quote(c.get(GROUP))},
            )
        if not fields["output_unit"]:
            problem(row, OUTPUT_UNIT, _("The output unit is empty (for example: văn bản, hồ sơ)."))
        elif len(fields["output_unit"]) > 50:
            problem(row, OUTPUT_UNIT, _("The output unit is longer than 50 characters."))
        if fields["evidence_kind"] is None:
            problem(
                row,
                EVIDENCE,
                _("Evidence must be one of: %(labels)s; found “%(value)s”.")
                % {"labels": ", ".join(EVIDENCE_LABELS.values()), "value": quote(c.get(EVIDENCE))},
            )

        task = tasks.get(code)
        if task is None:
            task = tasks[code] = {**fields, "code": code, "first_row": row.number, "stages": []}
        else:
            for field, column in (
                ("name", NAME),
                ("group", GROUP),
                ("output_unit", OUTPUT_UNIT),
                ("evidence_kind", EVIDENCE),
            ):
                if fields[field] is not None and task[field] is not None and fields[field] != task[field]:
                    problem(
                        row,
                        column,
                        _("Differs from row %(row)s for the same task code %(code)s.")
                        % {"row": task["first_row"], "code": code},
                    )
            if fields["description"]:
                if task["description"] and task["description"] != fields["description"]:
                    problem(
                        row,
                        DESCRIPTION,
                        _("Differs from row %(row)s for the same task code %(code)s.")
                        % {"row": task["first_row"], "code": code},
                    )
                task["description"] = task["description"] or fields["description"]

        raw_order, stage_name, raw_norm = c.get(STAGE_ORDER), clean(c.get(STAGE_NAME)), c.get(NORM)
        if not clean(raw_order) and not stage_name and not clean(raw_norm):
            continue  # a task listed without stages (allowed in a draft)
        order = _positive_int(raw_order)
        if order is None or order < 1:
            problem(
                row,
                STAGE_ORDER,
                _("The stage order must be a whole number from 1; found “%(value)s”.")
                % {"value": quote(raw_order)},
            )
        elif (code, order) in stage_rows:
            problem(
                row,
                STAGE_ORDER,
                _("Stage %(order)s of task %(code)s already appears in row %(row)s.")
                % {"order": order, "code": code, "row": stage_rows[(code, order)]},
            )
            order = None
        else:
            stage_rows[(code, order)] = row.number
        if not stage_name:
            problem(row, STAGE_NAME, _("The stage name is empty."))
        elif len(stage_name) > 255:
            problem(row, STAGE_NAME, _("The stage name is longer than 255 characters."))
        norm = _positive_int(raw_norm)
        if norm is None:
            problem(
                row,
                NORM,
                _("The norm must be a whole number of minutes; found “%(value)s”.")
                % {"value": quote(raw_norm)},
            )
        elif not 1 <= norm <= MAX_NORM_MINUTES:
            problem(
                row,
                NORM,
                _("The norm must be between 1 and %(max)s minutes; found %(value)s.")
                % {"max": number_format(MAX_NORM_MINUTES, force_grouping=True), "value": norm},
            )
        if order and stage_name and norm:
            task["stages"].append(StageInput(order=order, name=stage_name, norm_minutes=norm))

    if problems:
        return [], problems
    return [
        TaskInput(
            code=t["code"],
            name=t["name"],
            group=t["group"],
            output_unit=t["output_unit"],
            evidence_kind=t["evidence_kind"],
            description=t["description"],
            stages=tuple(sorted(t["stages"], key=lambda s: s.order)),
        )
        for t in tasks.values()
    ], []


@dataclass(frozen=True)
class DeclaredInput:
    text: str
    unit: Unit
    code: str  # empty when not merged


def parse_declared(
    rows: Iterable[Row], agency: Agency, known_codes: set[str]
) -> tuple[list[DeclaredInput], list[Problem]]:
    """Declared tasks from rows; units are matched by code or name within the agency."""
    units: dict[str, Unit] = {}
    for known in Unit.objects.filter(agency=agency):
        units[loose_key(known.code)] = known
        units[loose_key(known.name)] = known
    problems: list[Problem] = []
    found: list[DeclaredInput] = []
    seen: dict[tuple[str, int], int] = {}
    for row in rows:
        text = clean(row.cells.get(DECLARED_TEXT))
        unit_text = clean(row.cells.get(DECLARED_UNIT))
        code = clean(row.cells.get(DECLARED_CODE)).upper()
        unit = units.get(loose_key(unit_text))
        row_problems = []
        if not text:
            row_problems.append(Problem(row.number, DECLARED_TEXT, _("The declared task is empty.")))
        elif len(text) > 500:
            row_problems.append(
                Problem(row.number, DECLARED_TEXT, _("The declared task is longer than 500 characters."))
            )
        if unit is None:
            row_problems.append(
                Problem(
                    row.number,
                    DECLARED_UNIT,
                    _("No unit “%(unit)s” in %(agency)s; use a unit code or name.")
                    % {"unit": quote(unit_text), "agency": agency.code},
                )
            )
        if code and code not in known_codes:
            row_problems.append(
                Problem(
                    row.number,
                    DECLARED_CODE,
                    _("No standard task with code %(code)s in the catalog.") % {"code": quote(code)},
                )
            )
        if not row_problems and unit is not None:
            key = (loose_key(text), unit.pk)
            if key in seen:
                row_problems.append(
                    Problem(
                        row.number,
                        DECLARED_TEXT,
                        _("The same declared task and unit are already in row %(row)s.") % {"row": seen[key]},
                    )
                )
            seen[key] = row.number
        problems.extend(row_problems)
        if not row_problems and unit is not None:
            found.append(DeclaredInput(text=text, unit=unit, code=code))
    return ([] if problems else found), problems


def catalog_rows(version: CatalogVersion) -> list[list[object]]:
    """One row per stage of every task in use; a task without stages gets one row of its own."""
    from .selectors import tasks_of

    rows: list[list[object]] = []
    for task in tasks_of(version, active_only=True):
        base = [task.code, task.name, task.group]
        tail = [task.output_unit, EVIDENCE_LABELS[task.evidence_kind], task.description]
        stages = list(task.stages.all())
        if not stages:
            rows.append([*base, None, None, None, *tail])
        rows.extend([*base, s.order, s.name, s.norm_minutes, *tail] for s in stages)
    return rows


def declared_rows(agency: Agency) -> list[list[object]]:
    declared = DeclaredTask.objects.filter(agency=agency).select_related("unit", "standard_task")
    return [
        [d.text, d.unit.code if d.unit else "", d.standard_task.code if d.standard_task else ""]
        for d in declared.order_by("unit__code", "text", "pk")
    ]
