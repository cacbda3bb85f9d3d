"""Reads of the review queue: what waits for a reviewer, grouped by person and day."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Min, Sum

from catalog.models import StandardTask
from evidence.models import EntryFlag
from evidence.selectors import open_flags
from kpi_portal import standards
from org import selectors as org_selectors
from org.models import User
from worklog.models import DiaryEntry, EntryStatus


@dataclass
class QueueDay:
    person: User
    date: datetime.date
    entries: list[DiaryEntry]
    # Standard minutes of every entry of that day (approved ones too), for the over-8-hours flag.
    day_minutes: Decimal

    @property
    def minutes(self) -> Decimal:
        return sum((e.standard_minutes for e in self.entries), Decimal(0))

    @property
    def above_eight(self) -> bool:
        """The day's standard minutes are above the 8-hour norm."""
        return standards.above_daily_norm(self.day_minutes)

    @property
    def evidence_flagged(self) -> bool:
        """An entry of the day has an open flag of the evidence cross-check."""
        # open_flags is the to_attr of the open_flags() prefetch every queue query makes.
        return any(e.open_flags for e in self.entries)  # type: ignore[attr-defined]

    @property
    def flagged(self) -> bool:
        """Above 8 hours, or an entry the evidence cross-check flagged: what the filter keeps."""
        return self.above_eight or self.evidence_flagged


class QueueDays:
    """The queue's person-days in order, loaded a page at a time: ``len`` and slices, for the paginator.

    Only the days of a slice are read (their entries with person, task, stage, unit and open flags, and
    the day's standard minutes): two queries and a prefetch per page, whatever the queue's length.
    """

    def __init__(self, keys: list[tuple[int, datetime.date]], load) -> None:
        self.keys = keys
        self._load = load

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._load(self.keys[index])
        return self._load([self.keys[index]])[0]

    def __iter__(self):
        return iter(self._load(self.keys))


@dataclass
class Queue:
    days: QueueDays | list[QueueDay]
    people: list[User]
    tasks: list[StandardTask]
    entry_count: int = 0
    people_count: int = 0
    # Everything waiting for the reviewer before the filters: what the filters hide is this less the above.
    all_count: int = 0
    all_people_count: int = 0
    # The oldest day shown (after the filters).
    oldest: datetime.date | None = None

    @property
    def hidden_count(self) -> int:
        return self.all_count - self.entry_count


def _empty() -> Queue:
    return Queue(days=[], people=[], tasks=[])


def _mine(
    reviewer_id: int, agency_ids: set[int], waiting: set[tuple[int, datetime.date]]
) -> set[tuple[int, datetime.date]]:
    """The (person id, date) of ``waiting`` the reviewer may approve or return now (``Reviewers.acting``).

    The organisation's maps are built only for the dates with waiting work and its people (and the
    heads): the cost follows what waits, not the agency's size or the age of the oldest entry.
    """
    days = {day for _person, day in waiting}
    people = {person for person, _day in waiting}
    mine: set[tuple[int, datetime.date]] = set()
    for agency_id in agency_ids:
        maps = org_selectors.reviewer_maps(agency_id, min(days), max(days), days=days, people=people)
        for person, day in waiting:
            found = maps[day].get(person)
            if found is not None and reviewer_id in found.acting:
                mine.add((person, day))
    return mine


def _day_minutes(keys: Collection[tuple[int, datetime.date]]) -> dict[tuple[int, datetime.date], Decimal]:
    """Standard minutes of every entry of each (person, day) of ``keys``, approved ones too (one query)."""
    if not keys:
        return {}
    rows = (
        DiaryEntry.objects.filter(person_id__in={p for p, _d in keys}, date__in={d for _p, d in keys})
        .values_list("person_id", "date")
        .annotate(minutes=Sum("standard_minutes"))
        .order_by()
    )
    return {(person, day): minutes for person, day, minutes in rows if (person, day) in keys}


def review_queue(
    reviewer: User,
    *,
    person_id: int | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    task_id: int | None = None,
    flagged_only: bool = False,
) -> Queue:
    """Submitted entries the reviewer reviews, grouped by person and day.

    Who reviews an entry is the organisation's rule (``org.selectors.Reviewers.acting``): the head
    above the person on the entry's date, the delegate of a delegation in force that day, and, while
    that head's delegation is in force today, the head and their delegate alike (the delegate reaches
    the backlog dated before the delegation).

    A fixed number of queries, whatever the number of entries, reviewees or the age of the oldest:
    the waiting work is counted per person, day and task in the database, the rule is applied to
    those (person, day) only, and ``Queue.days`` loads the entries of the page it is sliced for.
    """
    # A plain id: the request's user is a lazy object, slow to read in the loops below.
    reviewer_id: int = reviewer.pk
    today = org_selectors.today()
    end = min(end or today, today)
    if start is not None and start > end:
        return _empty()
    agency_ids = org_selectors.reviewed_agency_ids(reviewer, start or datetime.date.min, end)
    if not agency_ids:
        return _empty()
    submitted = DiaryEntry.objects.filter(
        status=EntryStatus.SUBMITTED, agency_id__in=agency_ids, date__lte=end
    )
    if start is not None:
        submitted = submitted.filter(date__gte=start)
    # The agencies' oldest waiting day (the waiting index: a few pages) bounds the organisation read next.
    oldest = submitted.aggregate(oldest=Min("date"))["oldest"]
    if oldest is None:
        return _empty()
    # Only the waiting work of the people the reviewer might review: a unit head's unit, a leader's heads.
    submitted = submitted.filter(
        person_id__in=org_selectors.review_candidates(reviewer, agency_ids, oldest, end)
    )
    # Per person, day and task: how many entries wait (no joins, no entries loaded).
    counted = list(submitted.values_list("person_id", "date", "task_id").annotate(n=Count("pk")).order_by())
    if not counted:
        return _empty()
    mine = _mine(reviewer_id, agency_ids, {(person, day) for person, day, _task, _n in counted})
    counted = [row for row in counted if (row[0], row[1]) in mine]
    # The filters apply after the people and tasks to choose from are known.
    all_count = sum(n for *_key, n in counted)
    people_ids = {person for person, *_rest in counted}
    task_ids = {task for _person, _day, task, _n in counted}
    if person_id:
        counted = [row for row in counted if row[0] == person_id]
    if task_id:
        counted = [row for row in counted if row[2] == task_id]
    per_day: dict[tuple[int, datetime.date], int] = defaultdict(int)
    for person, day, _task, n in counted:
        per_day[(person, day)] += n
    if flagged_only:
        flagged = _flagged_days(agency_ids, set(per_day), task_id)
        per_day = {key: n for key, n in per_day.items() if key in flagged}

    people = list(User.objects.filter(pk__in=people_ids).order_by("full_name"))
    tasks = list(StandardTask.objects.filter(pk__in=task_ids).order_by("code"))
    names = {person.pk: person.full_name for person in people}
    keys = sorted(per_day, key=lambda key: (names[key[0]], key[0], key[1]))

    def load(page: list[tuple[int, datetime.date]]) -> list[QueueDay]:
        return _queue_days(agency_ids, page, task_id)

    return Queue(
        days=QueueDays(keys, load),
        people=people,
        tasks=tasks,
        entry_count=sum(per_day.values()),
        people_count=len({person for person, _day in per_day}),
        all_count=all_count,
        all_people_count=len(people_ids),
        oldest=min((day for _person, day in keys), default=None),
    )


def _flagged_days(
    agency_ids: set[int], keys: set[tuple[int, datetime.date]], task_id: int | None
) -> set[tuple[int, datetime.date]]:
    """The (person, day) of ``keys`` above the 8-hour norm or with a waiting entry the evidence
    cross-check flagged (of ``task_id`` when the queue is filtered on a task): two queries."""
    if not keys:
        return set()
    minutes = _day_minutes(keys)
    found = {key for key in keys if standards.above_daily_norm(minutes.get(key, Decimal(0)))}
    flags = EntryFlag.objects.open().filter(
        entry__status=EntryStatus.SUBMITTED,
        entry__agency_id__in=agency_ids,
        entry__person_id__in={p for p, _d in keys},
        entry__date__in={d for _p, d in keys},
    )
    if task_id:
        flags = flags.filter(entry__task_id=task_id)
    found |= {key for key in flags.values_list("entry__person_id", "entry__date").distinct() if key in keys}
    return found


def _queue_days(
    agency_ids: set[int], keys: list[tuple[int, datetime.date]], task_id: int | None
) -> list[QueueDay]:
    """The ``QueueDay`` of each (person, day) of ``keys``, in that order: their waiting entries only."""
    if not keys:
        return []
    wanted = set(keys)
    entries = DiaryEntry.objects.filter(
        status=EntryStatus.SUBMITTED,
        agency_id__in=agency_ids,
        person_id__in={p for p, _d in keys},
        date__in={d for _p, d in keys},
    )
    if task_id:
        entries = entries.filter(task_id=task_id)
    grouped: dict[tuple[int, datetime.date], list[DiaryEntry]] = defaultdict(list)
    for entry in (
        entries.select_related("person", "task", "stage", "unit")
        .prefetch_related(open_flags())
        .order_by("date", "pk")
    ):
        if (entry.person_id, entry.date) in wanted:
            grouped[(entry.person_id, entry.date)].append(entry)
    minutes = _day_minutes(wanted)
    return [
        QueueDay(grouped[key][0].person, key[1], grouped[key], minutes.get(key, Decimal(0)))
        for key in keys
        if grouped[key]
    ]


def pending_count(reviewer: User) -> int:
    """How many submitted entries wait for the reviewer (for the navigation badge and reminders)."""
    return review_queue(reviewer).entry_count
