"""Importing E-Office evidence from spreadsheets: outgoing documents and the work calendar.

The file format is in docs/evidence-format.md. Reading reuses the catalog's reader
(``kpi_portal.spreadsheets.read_table``): the same XLSX/CSV rules, size limit and Vietnamese
headers. An import is all or nothing: every row is checked first and each bad cell is
reported as a ``Problem`` with its row and column; with any problem nothing is written.
Otherwise the rows are upserted by their source id (the E-Office record id) in one
transaction, so importing the same file again changes nothing, and the agency's diaries
are checked again once the transaction commits (a document imported late resolves the
flag its absence raised).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kpi_portal.spreadsheets import Problem, Row, SpreadsheetError, clean, quote, read_table, to_csv, to_xlsx
from org.audit import record
from org.models import Agency, Unit, User

from .models import SOURCE_ID_MAX, AssignmentKind, CalendarAssignment, OutgoingDocument, normalise_number
from .services import recheck_request

SOURCE_ID = "Mã nguồn"
NUMBER = "Số ký hiệu"
ISSUED_ON = "Ngày ban hành"
SUMMARY = "Trích yếu"
DRAFTER = "Người soạn thảo"
DRAFTING_UNIT = "Đơn vị soạn thảo"
DOCUMENT_HEADERS = [SOURCE_ID, NUMBER, ISSUED_ON, SUMMARY, DRAFTER, DRAFTING_UNIT]
DOCUMENT_OPTIONAL = {SUMMARY, DRAFTER, DRAFTING_UNIT}

DATE = "Ngày"
START = "Từ giờ"
END = "Đến giờ"
KIND = "Loại"
TITLE = "Nội dung"
PARTICIPANTS = "Người tham dự"
CALENDAR_HEADERS = [SOURCE_ID, DATE, START, END, KIND, TITLE, PARTICIPANTS]
CALENDAR_OPTIONAL = {START, END, KIND}

KIND_LABELS = {AssignmentKind.MEETING: "Họp", AssignmentKind.FIELD_VISIT: "Đi cơ sở"}
# What people type in the "Loại" column, compared after casefolding.
KIND_WORDS = {
    "họp": AssignmentKind.MEETING,
    "cuộc họp": AssignmentKind.MEETING,
    "meeting": AssignmentKind.MEETING,
    "đi cơ sở": AssignmentKind.FIELD_VISIT,
    "field_visit": AssignmentKind.FIELD_VISIT,
    "field visit": AssignmentKind.FIELD_VISIT,
}
NUMBER_MAX = 100
SUMMARY_MAX = 2000
TITLE_MAX = 500
# Documents and meetings of the last century or the next are typing errors.
FIRST_YEAR, LAST_YEAR = 2000, 2100
DATE_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
TIME_RE = re.compile(r"^(\d{1,2})\s*[:hHgG]\s*(\d{2})?(?::\d{2})?$")
USERNAME_SEPARATORS = re.compile(r"[,;\n]")


class ImportKind(models.TextChoices):
    DOCUMENTS = "documents", gettext_lazy("Outgoing documents")
    CALENDAR = "calendar", gettext_lazy("Work calendar (meetings, field visits)")


@dataclass(frozen=True)
class DocumentInput:
    source_id: str
    number: str
    issued_on: datetime.date
    summary: str
    drafter_id: int | None
    drafting_unit_id: int | None


@dataclass(frozen=True)
class AssignmentInput:
    source_id: str
    date: datetime.date
    start_time: datetime.time | None
    end_time: datetime.time | None
    kind: str
    title: str
    participant_ids: frozenset[int]


@dataclass
class ImportResult:
    """What an import did: the rows read and how many were created, updated or left as they were."""

    kind: str
    filename: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


# --- Reading cells ---------------------------------------------------------------------------------------


def parse_date(value: object) -> datetime.date | None:
    """dd/mm/yyyy (also with - or .), yyyy-mm-dd, or a date cell of a spreadsheet; None when not a date."""
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    else:
        text = clean(value)
        if match := DATE_RE.match(text):
            d, m, y = (int(part) for part in match.groups())
        elif match := ISO_DATE_RE.match(text):
            y, m, d = (int(part) for part in match.groups())
        else:
            return None
        try:
            day = datetime.date(y, m, d)
        except ValueError:
            return None
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None


def parse_time(value: object) -> datetime.time | None:
    """HH:MM (also 8h30, 8g30, HH:MM:SS) or a time cell; None when not a time of day."""
    if isinstance(value, datetime.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, datetime.time):
        return value.replace(second=0, microsecond=0)
    match = TIME_RE.match(clean(value))
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        return None
    return datetime.time(hour, minute)


def _fold(text: str) -> str:
    return clean(text).casefold()


class _Directory:
    """The agency's people (anyone who has been a member) and units, for matching names in a file."""

    def __init__(self, agency: Agency):
        self.agency = agency
        people = (
            User.objects.filter(memberships__unit__agency=agency).values_list("pk", "username").distinct()
        )
        self.people = {_fold(username): pk for pk, username in people}
        self.units: dict[str, int] = {}
        for pk, code, name in Unit.objects.filter(agency=agency).values_list("pk", "code", "name"):
            self.units.setdefault(_fold(name), pk)
            self.units[_fold(code)] = pk  # a code wins over a name spelt the same

    def person(self, username: str) -> int | None:
        return self.people.get(_fold(username))

    def unit(self, text: str) -> int | None:
        return self.units.get(_fold(text))


class _Checker:
    """Collects the problems of a file; the helpers return the cleaned value or None."""

    def __init__(self, directory: _Directory):
        self.directory = directory
        self.problems: list[Problem] = []
        self.source_rows: dict[str, int] = {}

    def add(self, row: Row, column: str, message: str) -> None:
        self.problems.append(Problem(row.number, column, message))

    def text(
        self, row: Row, column: str, *, limit: int, required: bool, multiline: bool = False
    ) -> str | None:
        value = clean(row.cells.get(column), multiline=multiline)
        if not value:
            if required:
                self.add(row, column, _("This cell is required."))
                return None
            return ""
        if len(value) > limit:
            self.add(
                row,
                column,
                _("At most %(max)s characters; this cell has %(count)s.")
                % {"max": limit, "count": len(value)},
            )
            return None
        return value

    def source_id(self, row: Row) -> str | None:
        source_id = self.text(row, SOURCE_ID, limit=SOURCE_ID_MAX, required=True)
        if not source_id:
            return None
        if source_id in self.source_rows:
            self.add(
                row,
                SOURCE_ID,
                _("The source id %(id)s already appears in row %(row)s.")
                % {"id": source_id, "row": self.source_rows[source_id]},
            )
            return None
        self.source_rows[source_id] = row.number
        return source_id

    def date(self, row: Row, column: str) -> datetime.date | None:
        raw = row.cells.get(column)
        if not clean(raw):
            self.add(row, column, _("This cell is required."))
            return None
        day = parse_date(raw)
        if day is None:
            self.add(
                row,
                column,
                _("“%(value)s” is not a date; write it as dd/mm/yyyy, for example 05/11/2026.")
                % {"value": quote(raw)},
            )
        return day

    def time(self, row: Row, column: str) -> tuple[bool, datetime.time | None]:
        """(valid, time): an empty cell is valid and gives None."""
        raw = row.cells.get(column)
        if not clean(raw):
            return True, None
        value = parse_time(raw)
        if value is None:
            self.add(
                row,
                column,
                _("“%(value)s” is not a time of day; write it as HH:MM, for example 08:30.")
                % {"value": quote(raw)},
            )
            return False, None
        return True, value

    def person(self, row: Row, column: str, username: str) -> int | None:
        pk = self.directory.person(username)
        if pk is None:
            self.add(
                row,
                column,
                _("No person with the username “%(username)s” in %(agency)s.")
                % {"username": quote(username), "agency": self.directory.agency.code},
            )
        return pk


# --- Parsing rows ----------------------------------------------------------------------------------------


def parse_documents(rows: Iterable[Row], agency: Agency) -> tuple[list[DocumentInput], list[Problem]]:
    """Outgoing documents from rows, and every problem found."""
    check = _Checker(_Directory(agency))
    found: list[DocumentInput] = []
    for row in rows:
        before = len(check.problems)
        source_id = check.source_id(row)
        number = check.text(row, NUMBER, limit=NUMBER_MAX, required=True)
        if number and len(normalise_number(number)) > NUMBER_MAX:
            # Upper-casing can lengthen a text ("ß" becomes "SS"): the stored key must still fit.
            check.add(row, NUMBER, _("The number is longer than %(max)s characters.") % {"max": NUMBER_MAX})
        issued_on = check.date(row, ISSUED_ON)
        summary = check.text(row, SUMMARY, limit=SUMMARY_MAX, required=False, multiline=True)
        drafter_name = clean(row.cells.get(DRAFTER))
        drafter_id = check.person(row, DRAFTER, drafter_name) if drafter_name else None
        unit_text = clean(row.cells.get(DRAFTING_UNIT))
        unit_id = check.directory.unit(unit_text) if unit_text else None
        if unit_text and unit_id is None:
            check.add(
                row,
                DRAFTING_UNIT,
                _("No unit “%(unit)s” in %(agency)s; use the code of one of its units.")
                % {"unit": quote(unit_text), "agency": agency.code},
            )
        # Each helper returns None only where it recorded a problem; the checks tell the type checker.
        if len(check.problems) == before and source_id and number and issued_on and summary is not None:
            found.append(
                DocumentInput(
                    source_id=source_id,
                    number=number,
                    issued_on=issued_on,
                    summary=summary,
                    drafter_id=drafter_id,
                    drafting_unit_id=unit_id,
                )
            )
    return ([] if check.problems else found), check.problems


def _kind(value: object) -> str | None:
    text = _fold(clean(value))
    if not text:
        return AssignmentKind.MEETING
    return KIND_WORDS.get(text)


def parse_calendar(rows: Iterable[Row], agency: Agency) -> tuple[list[AssignmentInput], list[Problem]]:
    """Calendar assignments from rows, and every problem found."""
    check = _Checker(_Directory(agency))
    found: list[AssignmentInput] = []
    for row in rows:
        before = len(check.problems)
        source_id = check.source_id(row)
        day = check.date(row, DATE)
        start_ok, start = check.time(row, START)
        end_ok, end = check.time(row, END)
        if start_ok and end_ok and start and end and end < start:
            check.add(
                row,
                END,
                _("The meeting ends (%(end)s) before it starts (%(start)s).")
                % {"end": f"{end:%H:%M}", "start": f"{start:%H:%M}"},
            )
        kind = _kind(row.cells.get(KIND))
        if kind is None:
            check.add(
                row,
                KIND,
                _("The kind must be “%(meeting)s” or “%(visit)s”; found “%(value)s”.")
                % {
                    "meeting": KIND_LABELS[AssignmentKind.MEETING],
                    "visit": KIND_LABELS[AssignmentKind.FIELD_VISIT],
                    "value": quote(row.cells.get(KIND)),
                },
            )
        title = check.text(row, TITLE, limit=TITLE_MAX, required=True)
        names = [name.strip() for name in USERNAME_SEPARATORS.split(clean(row.cells.get(PARTICIPANTS)))]
        names = [name for name in names if name]
        if not names:
            check.add(row, PARTICIPANTS, _("Name at least one participant by username."))
        participants = {pk for name in names if (pk := check.person(row, PARTICIPANTS, name)) is not None}
        if len(check.problems) == before and source_id and day and kind and title:
            found.append(
                AssignmentInput(
                    source_id=source_id,
                    date=day,
                    start_time=start,
                    end_time=end,
                    kind=kind,
                    title=title,
                    participant_ids=frozenset(participants),
                )
            )
    return ([] if check.problems else found), check.problems


def parse(*, agency: Agency, kind: str, filename: str, content: bytes) -> tuple[list, list[Problem]]:
    """What the file holds, or the problems that stop it from being imported."""
    try:
        if kind == ImportKind.DOCUMENTS:
            rows = read_table(content, filename, headers=DOCUMENT_HEADERS, optional=DOCUMENT_OPTIONAL)
            return parse_documents(rows, agency)
        if kind == ImportKind.CALENDAR:
            rows = read_table(content, filename, headers=CALENDAR_HEADERS, optional=CALENDAR_OPTIONAL)
            return parse_calendar(rows, agency)
    except SpreadsheetError as error:
        return [], [Problem(None, None, str(error))]
    raise ValueError(f"unknown import kind {kind!r}")


# --- Writing ---------------------------------------------------------------------------------------------

DOCUMENT_FIELDS = ["number", "issued_on", "summary", "drafter_id", "drafting_unit_id"]
ASSIGNMENT_FIELDS = ["date", "start_time", "end_time", "kind", "title"]


@transaction.atomic
def documents_upsert(*, agency: Agency, items: list[DocumentInput], result: ImportResult) -> None:
    """Create or update the agency's documents by source id; counts go into ``result``."""
    existing = {
        d.source_id: d
        for d in OutgoingDocument.objects.filter(agency=agency, source_id__in=[i.source_id for i in items])
    }
    now = timezone.now()
    to_create, to_update = [], []
    for item in items:
        document = existing.get(item.source_id)
        if document is None:
            document = OutgoingDocument(agency=agency, source_id=item.source_id)
            to_create.append(document)
        elif all(getattr(document, name) == getattr(item, name) for name in DOCUMENT_FIELDS):
            result.unchanged += 1
            continue
        else:
            to_update.append(document)
        for name in DOCUMENT_FIELDS:
            setattr(document, name, getattr(item, name))
        # bulk writes skip save(): keep the derived key and the timestamp by hand.
        document.number_key = normalise_number(item.number)
        document.imported_at = now
    OutgoingDocument.objects.bulk_create(to_create, batch_size=1000)
    OutgoingDocument.objects.bulk_update(
        to_update, ["number", "number_key", "issued_on", "summary", "drafter", "drafting_unit", "imported_at"]
    )
    result.created += len(to_create)
    result.updated += len(to_update)


@transaction.atomic
def assignments_upsert(*, agency: Agency, items: list[AssignmentInput], result: ImportResult) -> None:
    """Create or update the agency's calendar assignments by source id; participants are replaced."""
    Through = CalendarAssignment.participants.through
    existing = {
        a.source_id: a
        for a in CalendarAssignment.objects.filter(agency=agency, source_id__in=[i.source_id for i in items])
    }
    participants: dict[int, set[int]] = {a.pk: set() for a in existing.values()}
    current = Through.objects.filter(calendarassignment__in=existing.values())
    for assignment_id, user_id in current.values_list("calendarassignment_id", "user_id"):
        participants[assignment_id].add(user_id)
    now = timezone.now()
    to_create, to_update, replaced = [], [], []
    for item in items:
        assignment = existing.get(item.source_id)
        if assignment is None:
            assignment = CalendarAssignment(agency=agency, source_id=item.source_id, imported_at=now)
            to_create.append(assignment)
        else:
            same_fields = all(getattr(assignment, name) == getattr(item, name) for name in ASSIGNMENT_FIELDS)
            same_people = participants[assignment.pk] == item.participant_ids
            if same_fields and same_people:
                result.unchanged += 1
                continue
            to_update.append(assignment)
            if not same_people:
                replaced.append(assignment.pk)
        for name in ASSIGNMENT_FIELDS:
            setattr(assignment, name, getattr(item, name))
        assignment.imported_at = now
    CalendarAssignment.objects.bulk_create(to_create, batch_size=1000)
    CalendarAssignment.objects.bulk_update(to_update, [*ASSIGNMENT_FIELDS, "imported_at"])
    Through.objects.filter(calendarassignment_id__in=replaced).delete()
    ids = dict(
        CalendarAssignment.objects.filter(
            agency=agency, source_id__in=[a.source_id for a in to_create]
        ).values_list("source_id", "pk")
    )
    new_people = {item.source_id: item.participant_ids for item in items}
    links = [
        Through(calendarassignment_id=ids[a.source_id], user_id=user_id)
        for a in to_create
        for user_id in new_people[a.source_id]
    ]
    links += [
        Through(calendarassignment_id=a.pk, user_id=user_id)
        for a in to_update
        if a.pk in replaced
        for user_id in new_people[a.source_id]
    ]
    Through.objects.bulk_create(links, batch_size=2000)
    result.created += len(to_create)
    result.updated += len(to_update)


def import_file(*, agency: Agency, kind: str, filename: str, content: bytes, by: User | None) -> ImportResult:
    """Check a file and, when it has no problem, import it in one transaction.

    With any problem nothing is written and the result lists them all. After a successful
    import the agency's diaries are checked again (a Celery job, enqueued on commit).
    """
    result = ImportResult(kind=kind, filename=filename)
    items, result.problems = parse(agency=agency, kind=kind, filename=filename, content=content)
    if result.problems:
        return result
    result.rows = len(items)
    with transaction.atomic():
        # One import of an agency at a time: two at once would race on the same source ids.
        Agency.objects.select_for_update().only("pk").get(pk=agency.pk)
        if kind == ImportKind.DOCUMENTS:
            documents_upsert(agency=agency, items=items, result=result)
        else:
            assignments_upsert(agency=agency, items=items, result=result)
        record(
            actor=by,
            action="evidence.imported",
            target=agency,
            agency=agency,
            after={"kind": kind, "file": filename[:255], **result.counts()},
        )
        if result.created or result.updated:
            recheck_request([agency.pk])
    return result


# --- Templates -------------------------------------------------------------------------------------------

EXAMPLES: dict[str, tuple[str, list[str], list[list[str]]]] = {
    ImportKind.DOCUMENTS: (
        "Công văn đi",
        DOCUMENT_HEADERS,
        [
            [
                "VB-2026-001234",
                "1234/STC-NS",
                "05/11/2026",
                "V/v hướng dẫn quyết toán năm 2025",
                "canbo",
                "NS",
            ],
            ["VB-2026-001235", "56/BC-STC", "06/11/2026", "Báo cáo giải ngân vốn đầu tư công", "", "TH"],
        ],
    ),
    ImportKind.CALENDAR: (
        "Lịch công tác",
        CALENDAR_HEADERS,
        [
            ["LCT-2026-0456", "09/11/2026", "08:00", "11:00", "Họp", "Họp giao ban", "truongphong; canbo"],
            ["LCT-2026-0457", "10/11/2026", "13:30", "", "Đi cơ sở", "Kiểm tra hiện trường", "phophong"],
        ],
    ),
}


def template(kind: str, fmt: str) -> bytes:
    """An example file with the headers and two rows, to fill in."""
    title, headers, rows = EXAMPLES[kind]
    if fmt == "csv":
        return to_csv(headers, rows)
    return to_xlsx(headers, rows, title=title)
