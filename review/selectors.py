"""Reads of the review queue: what waits for a reviewer, grouped by person and day."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Min, Sum

from catalog.models import StandardTask
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


@dataclass
class Queue:
    days: list[QueueDay]
    people: list[User]
    tasks: list[StandardTask]
    entry_count: int = 0
    people_count: int = 0
    # Everything waiting for the reviewer before the filters: what the filters hide is this less the above.
    all_count: int = 0
    all_people_count: int = 0

    @property
    def hidden_count(self) -> int:
        return self.all_count - self.entry_count

    by_person: dict[int, list[QueueDay]] = field(default_factory=dict)


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
    the backlog dated before the delegation). A fixed number of queries, whatever the number of entries.
    """
    today = org_selectors.today()
    end = min(end or today, today)
    agency_ids = org_selectors.reviewed_agency_ids(reviewer, start or datetime.date.min, end)
    first_pending = DiaryEntry.objects.filter(
        status=EntryStatus.SUBMITTED, date__lte=end, agency_id__in=agency_ids
    ).aggregate(first=Min("date"))["first"]
    if first_pending is None:
        return Queue(days=[], people=[], tasks=[])
    start = max(start or first_pending, first_pending)
    if start > end:
        return Queue(days=[], people=[], tasks=[])
    mine = org_selectors.reviewed_days(reviewer, agency_ids, start, end)
    reviewee_ids = {person for person, _day in mine}

    submitted = (
        DiaryEntry.objects.filter(
            status=EntryStatus.SUBMITTED,
            agency_id__in=agency_ids,
            person_id__in=reviewee_ids,
            date__range=(start, end),
        )
        .select_related("person", "task", "stage", "unit")
        .prefetch_related(open_flags())
        .order_by("person__full_name", "person_id", "date", "pk")
    )
    entries = [e for e in submitted if (e.person_id, e.date) in mine]
    # The filters apply after the people and tasks to choose from are known.
    all_count = len(entries)
    people_ids = {e.person_id for e in entries}
    task_ids = {e.task_id for e in entries}
    if person_id:
        entries = [e for e in entries if e.person_id == person_id]
    if task_id:
        entries = [e for e in entries if e.task_id == task_id]

    day_minutes = {
        (row["person_id"], row["date"]): row["minutes"]
        for row in DiaryEntry.objects.filter(
            person_id__in={e.person_id for e in entries}, date__range=(start, end)
        )
        .values("person_id", "date")
        .annotate(minutes=Sum("standard_minutes"))
    }
    days: list[QueueDay] = []
    for entry in entries:
        if not days or days[-1].person.pk != entry.person_id or days[-1].date != entry.date:
            days.append(
                QueueDay(entry.person, entry.date, [], day_minutes.get((entry.person_id, entry.date), 0))
            )
        days[-1].entries.append(entry)
    if flagged_only:
        days = [d for d in days if d.flagged]

    by_person: dict[int, list[QueueDay]] = defaultdict(list)
    for queue_day in days:
        by_person[queue_day.person.pk].append(queue_day)
    people = list(User.objects.filter(pk__in=people_ids).order_by("full_name"))
    tasks = list(StandardTask.objects.filter(pk__in=task_ids).order_by("code"))
    return Queue(
        days=days,
        people=people,
        tasks=tasks,
        entry_count=sum(len(d.entries) for d in days),
        people_count=len(by_person),
        by_person=dict(by_person),
        all_count=all_count,
        all_people_count=len(people_ids),
    )


def pending_count(reviewer: User) -> int:
    """How many submitted entries wait for the reviewer (for the navigation badge and reminders)."""
    return review_queue(reviewer).entry_count
