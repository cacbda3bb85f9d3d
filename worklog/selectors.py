"""Reads of the diary. Each page's data comes in a fixed number of queries."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, QuerySet, Sum
from django.utils.translation import gettext as _

from assignments.models import Assignment, AssignmentStatus
from catalog import selectors as catalog_selectors
from catalog.models import Stage, TaskGroup
from kpi_portal import periods, standards
from org import calendar
from org import selectors as org_selectors
from org.leave import leave_days
from org.models import Agency, AuditEvent, Membership, Province, User

from . import extensions
from .models import DiaryEntry, EntryStatus

RECENT_TASKS = 8


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def day_entries(person: User, day: datetime.date) -> QuerySet[DiaryEntry]:
    return (
        DiaryEntry.objects.filter(person=person, date=day)
        .select_related("task", "stage")
        .prefetch_related(*extensions.entry_prefetches())
        .order_by("created_at", "pk")
    )


@dataclass(frozen=True)
class Totals:
    minutes: Decimal
    estimate: int
    cap_minutes: int

    @property
    def hours(self) -> Decimal:
        return self.minutes / 60

    @property
    def over_eight(self) -> bool:
        return standards.above_daily_norm(self.minutes)

    @property
    def percent_of_eight(self) -> int:
        return min(100, int(self.minutes * 100 / standards.DAILY_NORM_MINUTES))


def totals(entries, agency: Agency | None) -> Totals:
    return Totals(
        minutes=sum((e.standard_minutes for e in entries), Decimal(0)),
        estimate=sum(e.estimate_minutes or 0 for e in entries),
        cap_minutes=agency.daily_cap_minutes if agency else standards.DAILY_CAP_DEFAULT_MINUTES,
    )


def picker_choices(
    person: User, agency: Agency, day: datetime.date
) -> list[tuple[str, list[tuple[int, str]]]]:
    """Stage choices for the day, grouped: the person's recent tasks first, then groups A–D.

    Three queries: the catalog's tasks, their stages, and the person's recent task codes.
    """
    tasks = list(catalog_selectors.picker_tasks(agency, day))
    recent_codes = list(
        DiaryEntry.objects.filter(person=person, date__lte=day)
        .values("task__code")
        .annotate(last=Max("date"))
        .order_by("-last")
        .values_list("task__code", flat=True)[:RECENT_TASKS]
    )

    def options(task) -> list[tuple[int, str]]:
        return [
            (stage.pk, f"{task.code} · {task.name} — {stage.order}. {stage.name} ({stage.norm_minutes}′)")
            for stage in task.stages.all()
        ]

    by_code = {task.code: task for task in tasks}
    groups: list[tuple[str, list[tuple[int, str]]]] = []
    recent = [option for code in recent_codes if code in by_code for option in options(by_code[code])]
    if recent:
        groups.append((_("Recently used"), recent))
    for value, label in TaskGroup.choices:
        found = [option for task in tasks if task.group == value for option in options(task)]
        if found:
            groups.append((str(label), found))
    return groups


def allowed_stages(agency: Agency, day: datetime.date) -> QuerySet[Stage]:
    return catalog_selectors.stages_in_force(agency, day)


STATE_ORDER = [
    EntryStatus.RETURNED,
    EntryStatus.DRAFT,
    EntryStatus.SUBMITTED,
    EntryStatus.APPROVED,
    EntryStatus.EXCLUDED,
]


@dataclass
class DayCell:
    date: datetime.date
    in_month: bool
    is_working_day: bool
    holiday: str | None
    minutes: Decimal = Decimal(0)
    statuses: set[str] = field(default_factory=set)

    @property
    def state(self) -> str:
        """What needs attention first: returned, then draft, submitted, approved; else nothing."""
        return next((s for s in STATE_ORDER if s in self.statuses), "none")

    @property
    def hours(self) -> Decimal:
        return self.minutes / 60

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= 5


def _by_day(person: User, start: datetime.date, end: datetime.date) -> dict:
    rows = (
        DiaryEntry.objects.filter(person=person, date__range=(start, end))
        .values("date", "status")
        .annotate(minutes=Sum("standard_minutes"), n=Count("pk"))
    )
    found: dict[datetime.date, list] = defaultdict(list)
    for row in rows:
        found[row["date"]].append(row)
    return found


def calendar_cells(
    person: User, agency: Agency | None, start: datetime.date, end: datetime.date, *, month: int | None = None
) -> list[DayCell]:
    """One cell per day from ``start`` to ``end`` with its state; two queries."""
    working = set(calendar.working_days(agency, start, end))
    rows = _by_day(person, start, end)
    cells = []
    day = start
    while day <= end:
        cell = DayCell(
            date=day,
            in_month=month is None or day.month == month,
            is_working_day=day in working,
            holiday=calendar.public_holiday_name(day),
        )
        for row in rows.get(day, []):
            cell.minutes += row["minutes"] or 0
            cell.statuses.add(row["status"])
        cells.append(cell)
        day += datetime.timedelta(days=1)
    return cells


def month_weeks(person: User, agency: Agency | None, year: int, month: int) -> list[list[DayCell]]:
    first, last = periods.month_bounds(year, month)
    start = monday_of(first)
    end = last + datetime.timedelta(days=6 - last.weekday())
    cells = calendar_cells(person, agency, start, end, month=month)
    return [cells[i : i + 7] for i in range(0, len(cells), 7)]


def recent_approved(person: User, days: int = 31) -> QuerySet[DiaryEntry]:
    """Approved entries of the last ``days`` days, newest first: what HR may reopen."""
    from org.selectors import today

    return (
        DiaryEntry.objects.filter(
            person=person, status=EntryStatus.APPROVED, date__gte=today() - datetime.timedelta(days=days)
        )
        .select_related("task", "stage")
        .order_by("-date", "-pk")[:50]
    )


# Assignments: how far the work assigned has come -------------------------------------------------


@dataclass
class Progress:
    """An assignment's approved work and, once complete, the day it was (on time when by its due date).

    Complete when the approved standard minutes counted toward it reach its own (the products expected
    × the norm frozen when assigned); the day is the date of the entry that made it so.
    """

    assignment: Assignment
    approved_minutes: Decimal = Decimal(0)
    waiting_minutes: Decimal = Decimal(0)
    completed_on: datetime.date | None = None

    @property
    def complete(self) -> bool:
        return self.completed_on is not None

    @property
    def on_time(self) -> bool:
        return self.completed_on is not None and self.completed_on <= self.assignment.due_date

    @property
    def late(self) -> bool:
        """Not complete by the due date: completed after it, or still not complete once it passed."""
        if self.completed_on is not None:
            return self.completed_on > self.assignment.due_date
        return self.assignment.due_date < org_selectors.today()

    @property
    def percent(self) -> Decimal:
        expected = self.assignment.standard_minutes
        return min(Decimal(100), self.approved_minutes * 100 / expected) if expected else Decimal(0)

    @property
    def approved_products(self) -> Decimal:
        return self.approved_minutes / self.assignment.norm_minutes


def assignment_progress(assignments: list[Assignment]) -> dict[int, Progress]:
    """The progress of each assignment, from its entries (one query)."""
    found = {a.pk: Progress(a) for a in assignments}
    entries = (
        DiaryEntry.objects.filter(assignment_id__in=list(found))
        .exclude(status__in=[EntryStatus.RETURNED, EntryStatus.EXCLUDED])
        .order_by("date", "pk")
        .values_list("assignment_id", "date", "status", "standard_minutes")
    )
    for assignment_id, date, status, minutes in entries:
        progress = found[assignment_id]
        if status != EntryStatus.APPROVED:
            progress.waiting_minutes += minutes
            continue
        progress.approved_minutes += minutes
        if (
            progress.completed_on is None
            and progress.approved_minutes >= progress.assignment.standard_minutes
        ):
            progress.completed_on = date
    return found


def open_assignments(person: User) -> list[Progress]:
    """The person's assignments still to complete (not cancelled, approved work short of the workload),
    the earliest due first (two queries). Those due before last month are left out: their months are
    evaluated, and work logged toward them now would count nowhere."""
    since = periods.previous_month(org_selectors.today())
    assignments = list(
        Assignment.objects.filter(person=person, status=AssignmentStatus.OPEN, due_date__gte=since)
        .select_related("task", "stage")
        .order_by("due_date", "pk")
    )
    return [p for p in assignment_progress(assignments).values() if not p.complete]


# Who logged nothing: for the people one reviews --------------------------------------------------


@dataclass
class MissingDays:
    """A person's working days (of this week and last, before today) with nothing in their diary."""

    person: User
    days: list[datetime.date] = field(default_factory=list)


def missing_days(reviewer: User, today: datetime.date) -> list[MissingDays]:
    """The people ``reviewer`` reviews today who logged nothing on some working day of last week or of
    this week before today (a day counts while they were a member of one of the agency's units), the
    most days first (six queries and one per agency's calendar). A day of approved leave
    (``org.leave``) is never missing."""
    people = org_selectors.reviewee_ids(reviewer, today)
    start = monday_of(today) - datetime.timedelta(days=7)
    end = today - datetime.timedelta(days=1)
    if not people or end < start:
        return []
    memberships = (
        Membership.objects.filter(person_id__in=people, person__is_active=True, start__lte=end)
        .exclude(end__lt=start)
        .select_related("person", "unit__agency")
        .order_by("person__full_name", "person_id")
    )
    entries = DiaryEntry.objects.filter(person_id__in=people, date__range=(start, end))
    logged = set(entries.values_list("person_id", "date"))
    on_leave = leave_days(people, start, end)
    working: dict[int, list[datetime.date]] = {}
    found: dict[int, MissingDays] = {}
    for membership in memberships:
        agency = membership.unit.agency
        if agency.pk not in working:
            working[agency.pk] = calendar.working_days(agency, start, end)
        missing = found.setdefault(membership.person_id, MissingDays(membership.person))
        missing.days += [
            day
            for day in working[agency.pk]
            if membership.start <= day
            and (membership.end is None or day <= membership.end)
            and (membership.person_id, day) not in logged
            and day not in on_leave.get(membership.person_id, ())
            and day not in missing.days
        ]
    shown = [m for m in found.values() if m.days]
    for missing in shown:
        missing.days.sort()
    return sorted(shown, key=lambda m: -len(m.days))


def returned_entries(person: User) -> list[DiaryEntry]:
    """The person's entries returned to them and not corrected yet, the oldest first (one query)."""
    return list(
        DiaryEntry.objects.filter(person=person, status=EntryStatus.RETURNED)
        .select_related("task", "stage", "reviewed_by")
        .order_by("date", "pk")
    )


def stage_usage(
    owner: Agency | Province, keys: Collection[tuple[str, int]], since: datetime.date | None
) -> dict[tuple[str, int], int]:
    """Diary entries on each stage of ``keys`` (task code, stage order) of an agency's catalog or
    a province's common catalog, in every version, dated ``since`` or later when given; registered
    with ``catalog.usage``."""
    codes = {code for code, _order in keys}
    entries = DiaryEntry.objects.filter(stage__task__code__in=codes)
    if isinstance(owner, Province):
        entries = entries.filter(
            stage__task__version__province=owner, stage__task__version__agency__isnull=True
        )
    else:
        entries = entries.filter(stage__task__agency=owner)
    if since is not None:
        entries = entries.filter(date__gte=since)
    rows = entries.values_list("stage__task__code", "stage__order").annotate(n=Count("pk")).order_by()
    wanted = set(keys)
    return {(code, order): n for code, order, n in rows if (code, order) in wanted}


def entry_history(entry: DiaryEntry) -> QuerySet[AuditEvent]:
    """Every change of ``entry``, oldest first: its audit events (who, when, why, before and after).

    The one history of an entry (issue 19): created, edited and deleted by its owner, and each change
    of its status (``worklog.lifecycle``). Read it with ``org.audit.shown`` for the fields in words.
    """
    return (
        AuditEvent.objects.filter(object_type="diaryentry", object_id=entry.pk)
        .select_related("actor")
        .order_by("at", "pk")
    )
