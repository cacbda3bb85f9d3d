"""Importing the leave register from a spreadsheet (XLSX or CSV), all or nothing.

Reading reuses ``kpi_portal.spreadsheets.read_table`` (the catalog's and the evidence imports' rules:
size limit, header row found among the first rows, empty rows skipped). The columns are, in
Vietnamese or in English: Tên đăng nhập / username, Từ ngày / from, Đến ngày / to (dd/mm/yyyy),
Loại / kind (annual, sick or other leave; empty means annual leave), Ghi chú / note. Every row is
checked first and each problem is reported with its row; with any problem nothing is recorded.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from kpi_portal.spreadsheets import Problem, Row, SpreadsheetError, clean, quote, read_table

from . import leave
from .models import Agency, LeaveKind, User

USERNAME, START, END, KIND, NOTE = "Tên đăng nhập", "Từ ngày", "Đến ngày", "Loại", "Ghi chú"
HEADERS = [USERNAME, START, END, KIND, NOTE]
ENGLISH_HEADERS = ["username", "from", "to", "kind", "note"]
OPTIONAL = {KIND, NOTE}
NOTE_MAX = 255
MAX_ROWS = 5000
DATE_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
# What people type in the kind column, compared after casefolding.
KIND_WORDS = {
    "": LeaveKind.ANNUAL,
    "nghỉ phép": LeaveKind.ANNUAL,
    "phép năm": LeaveKind.ANNUAL,
    "nghỉ phép năm": LeaveKind.ANNUAL,
    "annual": LeaveKind.ANNUAL,
    "annual leave": LeaveKind.ANNUAL,
    "nghỉ ốm": LeaveKind.SICK,
    "ốm": LeaveKind.SICK,
    "sick": LeaveKind.SICK,
    "sick leave": LeaveKind.SICK,
    "khác": LeaveKind.OTHER,
    "nghỉ khác": LeaveKind.OTHER,
    "other": LeaveKind.OTHER,
}


def parse_date(value: object) -> datetime.date | None:
    """dd/mm/yyyy, or a date cell of a spreadsheet; None when not a date."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = DATE_RE.match(clean(value))
    if not match:
        return None
    d, m, y = (int(part) for part in match.groups())
    try:
        return datetime.date(y, m, d)
    except ValueError:
        return None


def _read(content: bytes, filename: str) -> list[Row]:
    try:
        return read_table(content, filename, headers=HEADERS, optional=OPTIONAL, max_rows=MAX_ROWS)
    except SpreadsheetError as vietnamese:
        try:
            rows = read_table(
                content, filename, headers=ENGLISH_HEADERS, optional={"kind", "note"}, max_rows=MAX_ROWS
            )
        except SpreadsheetError:
            raise vietnamese from None
        return [Row(r.number, dict(zip(HEADERS, r.cells.values(), strict=True))) for r in rows]


def import_leave(*, by: User, agency: Agency, content: bytes, filename: str) -> tuple[int, list[Problem]]:
    """Read the file and record its leaves; (number recorded, problems). Nothing is recorded when
    there is any problem."""
    try:
        rows = _read(content, filename)
    except SpreadsheetError as error:
        return 0, [Problem(None, None, str(error))]
    # People type usernames loosely: compared without case.
    wanted = {clean(r.cells.get(USERNAME)).lower() for r in rows}
    people = {
        u.username.lower(): u
        for u in User.objects.annotate(lowered=Lower("username")).filter(lowered__in=wanted)
    }
    problems: list[Problem] = []
    entries: list[tuple[int, leave.LeaveInput]] = []
    for row in rows:
        username = clean(row.cells.get(USERNAME))
        person = people.get(username.lower())
        start, end = parse_date(row.cells.get(START)), parse_date(row.cells.get(END))
        kind = KIND_WORDS.get(clean(row.cells.get(KIND)).casefold())
        note = clean(row.cells.get(NOTE))
        before = len(problems)
        if person is None:
            problems.append(
                Problem(row.number, USERNAME, _("No user named “%(name)s”.") % {"name": quote(username)})
            )
        if start is None:
            problems.append(
                Problem(
                    row.number,
                    START,
                    _("“%(value)s” is not a date as dd/mm/yyyy.") % {"value": quote(row.cells.get(START))},
                )
            )
        if end is None:
            problems.append(
                Problem(
                    row.number,
                    END,
                    _("“%(value)s” is not a date as dd/mm/yyyy.") % {"value": quote(row.cells.get(END))},
                )
            )
        if kind is None:
            problems.append(
                Problem(
                    row.number,
                    KIND,
                    _("“%(value)s” is not a kind of leave: write nghỉ phép, nghỉ ốm or khác.")
                    % {"value": quote(row.cells.get(KIND))},
                )
            )
        if len(note) > NOTE_MAX:
            problems.append(
                Problem(
                    row.number, NOTE, _("The note is longer than %(max)s characters.") % {"max": NOTE_MAX}
                )
            )
        if len(problems) == before and person and start and end and kind:
            entries.append((row.number, leave.LeaveInput(person, start, end, kind, note)))
    if problems:
        return 0, problems
    try:
        created = leave.leave_import(by=by, agency=agency, entries=entries)
    except ValidationError as error:
        return 0, [Problem(None, None, message) for message in error.messages]
    return len(created), []
