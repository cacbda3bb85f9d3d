"""The week grid: a person's week as rows of stages by days, each cell the quantity logged.

Rows are the stages the person used in the last ``RECENT_WEEKS`` weeks (and this week), then their open
assignments, then the stages they added by searching the catalog. A row is a stage as staff know it
(task code and stage order): the stage itself, with its norm, is the one of the catalog in force on the
cell's day, so a cell is saved exactly as the day page saves an entry (``services.entry_create``,
``entry_update``, ``entry_delete``: same rules, same frozen norm, same messages).

A cell is editable when its day is open for logging and it holds no entry, or one draft or returned
entry; otherwise it is shown read-only with a link to the day page (several entries, or one submitted
or approved).
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from catalog.models import Stage
from kpi_portal import standards
from kpi_portal.text import short_date
from org import calendar
from org import selectors as org_selectors
from org.leave import leave_days
from org.models import Agency, User

from . import selectors, services
from .forms import QuantityField
from .models import DayReopening, DiaryEntry

RECENT_WEEKS = 4
DAYS = 7

RowKey = tuple[str, int]  # (task code, stage order)


def row_key(value: str) -> RowKey | None:
    """``"B.08|2"`` as posted by a row's cells: the task code and the stage order."""
    code, _sep, order = value.rpartition("|")
    return (code, int(order)) if code and order.isdigit() else None


@dataclass
class WeekDay:
    date: datetime.date
    is_working_day: bool
    holiday: str | None
    on_leave: bool
    is_open: bool
    shown: bool = True
    minutes: Decimal = Decimal(0)
    statuses: set[str] = field(default_factory=set)

    @property
    def expected_minutes(self) -> int:
        """The norm of a working day the person was not on leave; nothing for other days."""
        return standards.DAILY_NORM_MINUTES if self.is_working_day and not self.on_leave else 0

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= 5

    @property
    def state(self) -> str:
        return next((s for s in selectors.STATE_ORDER if s in self.statuses), "none")


@dataclass
class WeekRow:
    key: RowKey
    name: str
    stage_name: str
    norm_minutes: int | None
    assignment_id: int | None = None
    due_date: datetime.date | None = None
    added: bool = False  # shown because the person added it (the page carries it along)
    cells: list[Cell] = field(default_factory=list)

    @property
    def slug(self) -> str:
        """The row in an HTML id: ``B-08-2`` for stage 2 of B.08."""
        return re.sub(r"[^A-Za-z0-9]+", "-", self.key[0]) + f"-{self.key[1]}"

    @property
    def code(self) -> str:
        return self.key[0]

    @property
    def value(self) -> str:
        return f"{self.key[0]}|{self.key[1]}"

    @property
    def minutes(self) -> Decimal:
        return sum((e.standard_minutes for c in self.cells for e in c.entries), Decimal(0))


@dataclass
class Cell:
    row: WeekRow
    day: WeekDay
    entries: list[DiaryEntry] = field(default_factory=list)
    text: str | None = None  # what the person typed, shown again with an error
    error: str = ""
    saved: bool = False

    @property
    def key(self) -> str:
        return f"{self.row.value}|{self.day.date.isoformat()}"

    @property
    def entry(self) -> DiaryEntry | None:
        return self.entries[0] if len(self.entries) == 1 else None

    @property
    def editable(self) -> bool:
        if not self.day.is_open:
            return False
        return not self.entries or (len(self.entries) == 1 and self.entries[0].is_editable)

    @property
    def quantity(self) -> Decimal | None:
        if not self.entries:
            return None
        return sum((e.quantity for e in self.entries), Decimal(0))

    @property
    def status(self) -> str:
        statuses = {e.status for e in self.entries}
        return next((s for s in selectors.STATE_ORDER if s in statuses), "none")

    @property
    def value(self) -> str:
        if self.text is not None:
            return self.text
        return quantity_text(self.quantity) if self.quantity is not None else ""

    @property
    def minutes(self) -> Decimal:
        return sum((e.standard_minutes for e in self.entries), Decimal(0))


def quantity_text(quantity: Decimal) -> str:
    """A quantity as the person would type it: 1, 0,5 (the decimal separator of the language)."""
    text = f"{quantity.normalize():f}"
    return text.replace(".", str(get_format("DECIMAL_SEPARATOR")))


@dataclass
class WeekGrid:
    person: User
    agency: Agency | None
    monday: datetime.date
    days: list[WeekDay]
    rows: list[WeekRow]

    @property
    def shown_days(self) -> list[WeekDay]:
        return [d for d in self.days if d.shown]

    @property
    def hidden_weekend(self) -> bool:
        return any(not d.shown for d in self.days)

    @property
    def minutes(self) -> Decimal:
        return sum((d.minutes for d in self.days), Decimal(0))

    @property
    def expected_minutes(self) -> int:
        return sum(d.expected_minutes for d in self.days)

    @property
    def editable(self) -> bool:
        return any(c.editable for row in self.rows for c in row.cells)

    @property
    def editable_days(self) -> bool:
        return any(d.is_open for d in self.days)

    def cell(self, key: RowKey, date: datetime.date) -> Cell | None:
        row = next((r for r in self.rows if r.key == key), None)
        if row is None or not (0 <= (date - self.monday).days < DAYS):
            return None
        return row.cells[(date - self.monday).days]

    def cells(self) -> Iterable[Cell]:
        for row in self.rows:
            yield from row.cells

    def day(self, date: datetime.date) -> WeekDay:
        return self.days[(date - self.monday).days]


def reference_day(monday: datetime.date, today: datetime.date) -> datetime.date:
    """The day whose catalog names the rows: the last day of the week not after today."""
    return max(monday, min(monday + datetime.timedelta(days=DAYS - 1), today))


def _stage_rows(agency: Agency, day: datetime.date, keys: Iterable[RowKey]) -> dict[RowKey, Stage]:
    wanted = set(keys)
    codes = {code for code, _order in wanted}
    stages = selectors.allowed_stages(agency, day).filter(task__code__in=codes)
    return {(s.task.code, s.order): s for s in stages if (s.task.code, s.order) in wanted}


def week_grid(
    person: User,
    monday: datetime.date,
    *,
    added: Iterable[RowKey] = (),
    show_weekend: bool = False,
) -> WeekGrid:
    """The person's week, Monday to Sunday, in a fixed number of queries whatever its rows.

    The weekend is collapsed unless it holds entries, is a working day (a make-up Saturday), or
    ``show_weekend`` asks for it.
    """
    today = org_selectors.today()
    sunday = monday + datetime.timedelta(days=DAYS - 1)
    reference = reference_day(monday, today)
    membership = org_selectors.membership_on(person, reference)
    agency = membership.unit.agency if membership else None
    dates = [monday + datetime.timedelta(days=i) for i in range(DAYS)]
    working = set(calendar.working_days(agency, monday, sunday))
    leave = leave_days([person.pk], monday, sunday, known={agency.pk: sorted(working)} if agency else None)
    on_leave = leave.get(person.pk, set())
    if agency is not None:
        earliest = services.earliest_open_day(agency, today)
        reopened = set(
            DayReopening.objects.filter(person=person, date__range=(monday, sunday)).values_list(
                "date", flat=True
            )
        )
    days = [
        WeekDay(
            date=d,
            is_working_day=d in working,
            holiday=calendar.public_holiday_name(d),
            on_leave=d in on_leave,
            is_open=agency is not None and d <= today and (d >= earliest or d in reopened),
        )
        for d in dates
    ]
    entries = list(
        DiaryEntry.objects.filter(person=person, date__range=(monday, sunday))
        .select_related("task", "stage")
        .order_by("date", "created_at", "pk")
    )
    by_cell: dict[tuple[RowKey, datetime.date], list[DiaryEntry]] = defaultdict(list)
    labels: dict[RowKey, tuple[str, str, int]] = {}
    for entry in entries:
        key = (entry.task.code, entry.stage.order)
        by_cell[key, entry.date].append(entry)
        labels.setdefault(key, (entry.task.name, entry.stage.name, entry.norm_minutes))
        day = days[(entry.date - monday).days]
        day.minutes += entry.standard_minutes
        day.statuses.add(entry.status)
    for day in days:
        day.shown = not day.is_weekend or show_weekend or day.is_working_day or bool(day.statuses)

    keys: list[RowKey] = sorted(labels)
    since = monday - datetime.timedelta(weeks=RECENT_WEEKS)
    recent = (
        DiaryEntry.objects.filter(person=person, date__range=(since, monday - datetime.timedelta(days=1)))
        .values_list("task__code", "stage__order")
        .distinct()
    )
    keys += sorted(set(recent) - set(keys))
    assigned: dict[RowKey, tuple[int, datetime.date]] = {}
    if agency is not None and reference >= today - datetime.timedelta(days=DAYS):
        for progress in selectors.open_assignments(person):
            assignment = progress.assignment
            order = assignment.stage.order if assignment.stage else 1
            assigned.setdefault((assignment.task.code, order), (assignment.pk, assignment.due_date))
    keys += [k for k in assigned if k not in keys]
    extra = [k for k in dict.fromkeys(added) if k not in keys]
    keys += extra
    stages = _stage_rows(agency, reference, keys) if agency is not None else {}

    rows = []
    for key in keys:
        stage = stages.get(key)
        if stage is not None:
            name, stage_name, norm = stage.task.name, stage.name, stage.norm_minutes
        elif key in labels:
            name, stage_name, norm = labels[key]
        else:
            continue  # a stage no longer in the catalog, not used this week: nothing to show or log
        assignment_id, due = assigned.get(key, (None, None))
        row = WeekRow(key, name, f"{key[1]}. {stage_name}", norm, assignment_id, due, added=key in extra)
        row.cells = [Cell(row, day, by_cell.get((key, day.date), [])) for day in days]
        rows.append(row)
    return WeekGrid(person, agency, monday, days, rows)


# Saving cells ------------------------------------------------------------------------------------


class _Refused(Exception):
    """A cell of the whole form was refused: undo the cells saved before it."""


def _parse(text: str) -> Decimal | None:
    """The quantity typed in a cell; None for an empty cell. Raises ValidationError for text."""
    if not text.strip():
        return None
    field = QuantityField(localize=True, max_digits=6, decimal_places=2)
    return field.clean(text)


def _stage_on(agency: Agency, key: RowKey, day: datetime.date) -> Stage:
    stage = selectors.allowed_stages(agency, day).filter(task__code=key[0], order=key[1]).first()
    if stage is None:
        raise ValidationError(
            _("This task is not in the catalog that applies on %(day)s.") % {"day": short_date(day)}
        )
    return stage


def _save_cell(cell: Cell, text: str, entry_ref: str, *, by: User) -> bool:
    """Save one cell through the diary's services; True when something changed. Raises
    ValidationError with the message to show in the cell."""
    quantity = _parse(text)
    known = {str(e.pk): e for e in cell.entries}
    entry_id, _sep, version = entry_ref.partition(":")
    if entry_id and entry_id not in known:
        raise ValidationError(_("This entry is not in this cell. Reload the page and try again."))
    if len(cell.entries) > 1 or (cell.entries and not cell.entries[0].is_editable):
        raise ValidationError(
            _("Change this on the day page: the cell holds entries that cannot be edited here.")
        )
    entry = cell.entry
    if entry is not None and not entry_id:
        if quantity == entry.quantity:
            return False  # the same value posted twice (a double change event)
        raise ValidationError(
            _(
                "This entry was changed in the meantime (perhaps in another window). "
                "Reload the page and try again."
            )
        )
    seen_version = int(version) if version.isdigit() else None
    if entry is None:
        if quantity is None:
            return False
        day = cell.day.date
        agency = _agency(cell.day, by)
        stage = _stage_on(agency, cell.row.key, day)
        assignment = None
        if cell.row.assignment_id is not None:
            assignment = next(
                (
                    p.assignment
                    for p in selectors.open_assignments(by)
                    if p.assignment.pk == cell.row.assignment_id
                ),
                None,
            )
        services.entry_create(
            person=by,
            day=day,
            data=services.EntryInput(stage=stage, quantity=quantity, assignment=assignment),
            by=by,
        )
        return True
    if quantity is None:
        services.entry_delete(entry=entry, by=by, version=seen_version)
        return True
    if quantity == entry.quantity:
        return False
    services.entry_update(
        entry=entry,
        data=services.EntryInput(
            stage=entry.stage,
            quantity=quantity,
            estimate_minutes=entry.estimate_minutes,
            description=entry.description,
            evidence_ref=entry.evidence_ref,
            assignment=entry.assignment,
        ),
        by=by,
        version=seen_version,
    )
    return True


def _agency(day: WeekDay, person: User) -> Agency:
    membership = org_selectors.membership_on(person, day.date)
    if membership is None:
        raise ValidationError(_("You did not belong to any unit on %(day)s.") % {"day": short_date(day.date)})
    return membership.unit.agency


def _message(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, PermissionDenied):
        return str(error) or _("You cannot change this diary.")
    return " ".join(error.messages)


def cell_save(*, grid: WeekGrid, cell: Cell, data: Mapping[str, str], by: User) -> bool:
    """Save one cell from what was posted (its quantity under ``cell.key``, its entry and version under
    ``"entry|" + cell.key``); on a refusal the cell carries the message and nothing is saved."""
    text = data.get(cell.key, "")
    try:
        with transaction.atomic():
            changed = _save_cell(cell, text, data.get(f"entry|{cell.key}", ""), by=by)
    except (ValidationError, PermissionDenied, forms.ValidationError) as error:
        cell.text, cell.error = text, _message(error)
        return False
    cell.saved = changed
    return changed


def grid_save(*, grid: WeekGrid, data: Mapping[str, str], by: User) -> tuple[int, list[Cell]]:
    """The whole grid as one form (without JavaScript): every changed cell is saved, or none when one
    is refused. Returns the number of cells changed and the refused cells (carrying their messages).

    Lower quantities are saved first, so that moving work from one stage to another within a day
    never trips the daily cap half-way.
    """
    changed: list[tuple[Decimal, Cell]] = []
    refused: list[Cell] = []
    for cell in grid.cells():
        if cell.key not in data or not cell.editable:
            continue
        text = data[cell.key]
        try:
            quantity = _parse(text)
        except forms.ValidationError as error:
            cell.text, cell.error = text, _message(error)
            refused.append(cell)
            continue
        if quantity != cell.quantity:
            delta = (quantity or Decimal(0)) - (cell.quantity or Decimal(0))
            changed.append((delta * (cell.row.norm_minutes or 0), cell))
    if refused:
        return 0, refused
    count = 0
    try:
        with transaction.atomic():
            for _delta, cell in sorted(changed, key=lambda pair: pair[0]):
                if cell_save(grid=grid, cell=cell, data=data, by=by):
                    count += 1
                elif cell.error:
                    refused.append(cell)
            if refused:
                raise _Refused
    except _Refused:
        # Nothing was kept: every cell shows again what the person typed, to correct and send again.
        for _delta, cell in changed:
            cell.saved = False
            if cell.text is None:
                cell.text = data[cell.key]
        return 0, refused
    return count, []
