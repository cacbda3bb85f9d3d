"""Catalog spreadsheets: reading XLSX/CSV into checked rows, and writing them back.

The file vocabulary (column headers, evidence labels) is Vietnamese whatever
the interface language, so a file means the same thing to everyone; it is
described in docs/catalog-format.md. Reading never raises anything but
``SpreadsheetError`` (a problem with the whole file) and reports each bad cell
as a ``Problem`` with its row and column, so an import can list them all.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import openpyxl
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

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

EVIDENCE_LABELS = {
    EvidenceKind.DOCUMENT: "Công văn đi",
    EvidenceKind.MEETING: "Cuộc họp, đi cơ sở",
    EvidenceKind.NONE: "Không",
}
MAX_ROWS = 10_000
CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_.-]*$")


class SpreadsheetError(Exception):
    """The file as a whole cannot be read: wrong type, too big, a column missing…"""


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str | None
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass(frozen=True)
class Row:
    number: int  # as the spreadsheet program shows it, the header being row 1 (or later)
    cells: dict[str, object]


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def clean(value: object, *, multiline: bool = False) -> str:
    """A cell as text: NFC, no surrounding spaces; runs of spaces folded unless ``multiline``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value))
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        text = text[1:]  # written by to_csv to defuse a formula
    if multiline:
        lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n")]
        return "\n".join(lines).strip()
    return " ".join(text.split())


def read_table(content: bytes, filename: str, *, headers: Sequence[str], optional: set[str]) -> list[Row]:
    """Rows of the first sheet of an XLSX file or of a CSV file, keyed by known header."""
    limit = settings.CATALOG_IMPORT_MAX_BYTES
    if len(content) > limit:
        raise SpreadsheetError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {
                "size": number_format(len(content) / 1_048_576, 1),
                "limit": number_format(limit / 1_048_576, 1),
            }
        )
    if not content.strip():
        raise SpreadsheetError(_("The file is empty."))
    name = filename.lower()
    if content.startswith(b"PK\x03\x04") or name.endswith((".xlsx", ".xlsm")):
        raw_rows = _xlsx_rows(content)
    elif name.endswith((".csv", ".txt")):
        raw_rows = _csv_rows(content)
    else:
        raise SpreadsheetError(_("Only .xlsx and .csv files can be imported."))

    header_at, header = next(
        ((n, row) for n, row in raw_rows if any(clean(cell) for cell in row)), (None, None)
    )
    if header is None:
        raise SpreadsheetError(_("The file has no header row."))
    wanted = {_key(h): h for h in headers}
    position: dict[str, int] = {}
    for index, cell in enumerate(header):
        column = wanted.get(_key(clean(cell)))
        if column is not None and column not in position:
            position[column] = index
    missing = [h for h in headers if h not in position and h not in optional]
    if missing:
        raise SpreadsheetError(
            _("Missing column(s): %(columns)s. The first row must hold the headers: %(headers)s.")
            % {"columns": ", ".join(missing), "headers": ", ".join(headers)}
        )

    rows: list[Row] = []
    for number, cells in raw_rows:
        if number <= header_at:
            continue
        values = {column: cells[i] if i < len(cells) else None for column, i in position.items()}
        if not any(clean(v) for v in values.values()):
            continue  # empty rows are allowed anywhere
        rows.append(Row(number, values))
        if len(rows) > MAX_ROWS:
            raise SpreadsheetError(_("The file has more than %(max)s rows.") % {"max": MAX_ROWS})
    if not rows:
        raise SpreadsheetError(_("The file has headers but no data rows."))
    return rows


def _xlsx_rows(content: bytes) -> list[tuple[int, tuple]]:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = [(n, row) for n, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
        workbook.close()
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError, IndexError):
        raise SpreadsheetError(
            _(
                "The file is not a readable spreadsheet. "
                "Save it from your spreadsheet program as .xlsx or as CSV UTF-8."
            )
        ) from None
    return rows


def _csv_rows(content: bytes) -> list[tuple[int, list[str]]]:
    try:
        text = content.decode("utf-8-sig")  # with or without the BOM Excel writes
    except UnicodeDecodeError:
        raise SpreadsheetError(
            _("The CSV file is not in UTF-8. In Excel choose “Save as” → “CSV UTF-8 (Comma delimited)”.")
        ) from None
    if "\x00" in text:
        raise SpreadsheetError(_("The file is not a readable spreadsheet."))
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    try:
        return [(n, row) for n, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1)]
    except csv.Error:
        raise SpreadsheetError(_("The CSV file is malformed (unbalanced quotes?).")) from None


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
    text = clean(value).upper()
    if text[:1] in TaskGroup.values and (len(text) == 1 or not text[1].isalnum()):
        return text[:1]
    return None


def _evidence(value: object) -> str | None:
    text = _key(clean(value))
    if not text:
        return EvidenceKind.NONE
    for kind, label in EVIDENCE_LABELS.items():
        if text in (_key(label), kind):
            return kind
    return None


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
                % {"code": code},
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
                _("The group must be A, B, C or D; found “%(value)s”.") % {"value": clean(c.get(GROUP))},
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
                % {"labels": ", ".join(EVIDENCE_LABELS.values()), "value": clean(c.get(EVIDENCE))},
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
                % {"value": clean(raw_order)},
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
                % {"value": clean(raw_norm)},
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
    for unit in Unit.objects.filter(agency=agency):
        units[_key(unit.code)] = unit
        units[_key(unit.name)] = unit
    problems: list[Problem] = []
    found: list[DeclaredInput] = []
    seen: dict[tuple[str, int], int] = {}
    for row in rows:
        text = clean(row.cells.get(DECLARED_TEXT))
        unit_text = clean(row.cells.get(DECLARED_UNIT))
        code = clean(row.cells.get(DECLARED_CODE)).upper()
        unit = units.get(_key(unit_text))
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
                    % {"unit": unit_text, "agency": agency.code},
                )
            )
        if code and code not in known_codes:
            row_problems.append(
                Problem(
                    row.number,
                    DECLARED_CODE,
                    _("No standard task with code %(code)s in the catalog.") % {"code": code},
                )
            )
        if not row_problems and unit is not None:
            key = (_key(text), unit.pk)
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


# A cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def to_xlsx(headers: Sequence[str], rows: Iterable[Sequence[object]], *, title: str) -> bytes:
    """An XLSX sheet; text that looks like a formula is stored as text, never as a formula."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
        for cell, value in zip(sheet[sheet.max_row], row, strict=False):
            if _is_formula_like(value):
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = max(
            12, min(60, len(header) + 4)
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    # The apostrophe makes a spreadsheet program show the text instead of running it; ``clean`` drops it.
    return f"'{value}" if _is_formula_like(value) else value


def to_csv(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 with a BOM, so that Excel shows the Vietnamese letters right; formulas are defused."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([_csv_cell(v) for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")
