"""Reads for review and scoring: the reviewer's queue, the evaluations to score or finalise, explanations."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Min, Q, QuerySet, Sum

from catalog.models import StandardTask
from evidence.selectors import open_flags
from org import calendar
from org import selectors as org_selectors
from org.models import Agency, Delegation, Membership, User
from worklog.models import DiaryEntry, EntryStatus

from . import scoring
from .models import (
    Appeal,
    CriterionScore,
    DisciplinaryMeasure,
    EvaluationStatus,
    MonthlyEvaluation,
    Rating,
    ScoringScheme,
)

EIGHT_HOURS = Decimal(8 * 60)


def scheme_of(agency: Agency) -> ScoringScheme:
    """The agency's weights; an agency that never set them gets the defaults of Decree 335."""
    scheme, _created = ScoringScheme.objects.get_or_create(agency=agency)
    return scheme


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(month: datetime.date) -> datetime.date:
    return calendar.month_bounds(month.year, month.month)[1]


def reference_day(month: datetime.date) -> datetime.date:
    """The day whose organisation decides who evaluates a month: its last day, or today for this month."""
    return min(month_end(month), org_selectors.today())


# The review queue ---------------------------------------------------------------------------


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
    def flagged(self) -> bool:
        """Above 8 hours, or an entry the evidence cross-check flagged."""
        return self.day_minutes > EIGHT_HOURS or any(e.open_flags for e in self.entries)


@dataclass
class Queue:
    days: list[QueueDay]
    people: list[User]
    tasks: list[StandardTask]
    entry_count: int = 0
    people_count: int = 0
    by_person: dict[int, list[QueueDay]] = field(default_factory=dict)


def _reviewed_agency_ids(reviewer: User, start: datetime.date, end: datetime.date) -> set[int]:
    """Agencies where the reviewer heads a unit, or holds a delegation from a head, in the period."""
    overlapping = Q(start__lte=end) & (Q(end__isnull=True) | Q(end__gte=start))
    delegators = Delegation.objects.filter(delegate=reviewer, start__lte=end, end__gte=start).values(
        "delegator_id"
    )
    return set(
        Membership.objects.filter(overlapping, is_head=True)
        .filter(Q(person=reviewer) | Q(person_id__in=delegators))
        .values_list("unit__agency_id", flat=True)
    )


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

    Who reviews an entry is decided by the organisation on the entry's date
    (``org.selectors.review_map``), so a transfer or a delegation moves the right
    day by day. A fixed number of queries, whatever the number of entries.
    """
    today = org_selectors.today()
    end = min(end or today, today)
    agency_ids = _reviewed_agency_ids(reviewer, start or datetime.date.min, end)
    first_pending = DiaryEntry.objects.filter(
        status=EntryStatus.SUBMITTED, date__lte=end, agency_id__in=agency_ids
    ).aggregate(first=Min("date"))["first"]
    if first_pending is None:
        return Queue(days=[], people=[], tasks=[])
    start = max(start or first_pending, first_pending)
    if start > end:
        return Queue(days=[], people=[], tasks=[])
    mine: set[tuple[int, datetime.date]] = set()
    reviewee_ids: set[int] = set()
    for agency_id in agency_ids:
        for day, reviewers in org_selectors.review_maps(agency_id, start, end).items():
            for person, person_reviewer in reviewers.items():
                if person_reviewer == reviewer.pk:
                    mine.add((person, day))
                    reviewee_ids.add(person)
    reviewee_ids.discard(reviewer.pk)

    entries = (
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
    entries = [e for e in entries if (e.person_id, e.date) in mine]
    # The filters apply after the people and tasks to choose from are known.
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
    for day in days:
        by_person[day.person.pk].append(day)
    people = list(User.objects.filter(pk__in=people_ids).order_by("full_name"))
    tasks = list(StandardTask.objects.filter(pk__in=task_ids).order_by("code"))
    return Queue(
        days=days,
        people=people,
        tasks=tasks,
        entry_count=sum(len(d.entries) for d in days),
        people_count=len(by_person),
        by_person=dict(by_person),
    )


def pending_count(reviewer: User) -> int:
    """How many submitted entries wait for the reviewer (for the navigation badge and reminders)."""
    return review_queue(reviewer).entry_count


# Evaluations --------------------------------------------------------------------------------


def evaluation_of(person: User, month: datetime.date) -> MonthlyEvaluation | None:
    return (
        MonthlyEvaluation.objects.filter(person=person, month=month)
        .select_related("person", "agency", "unit", "scored_by", "finalised_by")
        .first()
    )


def criteria_of(evaluation: MonthlyEvaluation) -> dict[str, dict[str, CriterionScore]]:
    """{"self": {criterion: score}, "supervisor": {...}}."""
    found: dict[str, dict[str, CriterionScore]] = {"self": {}, "supervisor": {}}
    for score in evaluation.criteria.all():
        found[score.by][score.criterion] = score
    return found


def month_entries(person: User, month: datetime.date) -> QuerySet[DiaryEntry]:
    """The month's approved entries of a person: what the task results are made of."""
    return (
        DiaryEntry.objects.filter(
            person=person, status=EntryStatus.APPROVED, date__range=(month, month_end(month))
        )
        .select_related("task", "stage", "reviewed_by", "objective_cause_by")
        .order_by("date", "pk")
    )


def entry_marks(entries) -> list[scoring.EntryMarks]:
    return [
        scoring.EntryMarks(
            entry_id=e.pk,
            standard_minutes=e.standard_minutes,
            major_errors=e.major_errors,
            delays=e.delays,
            exempt=bool(e.objective_cause),
        )
        for e in entries
    ]


def disciplined_in(person: User, start: datetime.date, end: datetime.date) -> list[DisciplinaryMeasure]:
    return list(DisciplinaryMeasure.objects.filter(person=person, decided_on__range=(start, end)))


def unit_members(evaluation: MonthlyEvaluation) -> list[User]:
    """The people a unit head answers for: the unit's other members at the reference day."""
    on = reference_day(evaluation.month)
    return list(
        User.objects.filter(
            pk__in=Membership.objects.active_on(on).filter(unit_id=evaluation.unit_id).values("person_id")
        )
        .exclude(pk=evaluation.person_id)
        .order_by("full_name")
    )


def member_evaluations(evaluation: MonthlyEvaluation) -> list[tuple[User, MonthlyEvaluation | None]]:
    """The unit's members with their evaluation of the same month (None when not started)."""
    members = unit_members(evaluation)
    found = {
        e.person_id: e for e in MonthlyEvaluation.objects.filter(person__in=members, month=evaluation.month)
    }
    return [(m, found.get(m.pk)) for m in members]


@dataclass(frozen=True)
class Quota:
    good: int
    excellent: int
    allowed: int
    percent: int

    @property
    def exceeded(self) -> bool:
        return self.excellent > self.allowed


def quota(
    agency: Agency,
    month: datetime.date,
    *,
    counting: MonthlyEvaluation | None = None,
    rating: str | None = None,
) -> Quota:
    """Final ratings of the agency's month; with ``counting``, as if it were final with ``rating``."""
    scheme = scheme_of(agency)
    finals = MonthlyEvaluation.objects.filter(agency=agency, month=month, status=EvaluationStatus.FINAL)
    if counting is not None:
        finals = finals.exclude(pk=counting.pk)
    counts = finals.aggregate(
        good=Count("pk", filter=Q(rating=Rating.GOOD)),
        excellent=Count("pk", filter=Q(rating=Rating.EXCELLENT)),
    )
    good, excellent = counts["good"], counts["excellent"]
    if rating == Rating.GOOD:
        good += 1
    elif rating == Rating.EXCELLENT:
        excellent += 1
    percent = scheme.excellent_quota_percent
    return Quota(good, excellent, scoring.excellent_allowed(good, percent), percent)


def people_to_score(reviewer: User, month: datetime.date) -> list[tuple[User, MonthlyEvaluation | None]]:
    """Everyone the reviewer evaluates for the month, with their evaluation when it exists."""
    on = reference_day(month)
    ids = org_selectors.reviewee_ids(reviewer, on) - {reviewer.pk}
    people = list(User.objects.filter(pk__in=ids).order_by("full_name"))
    evaluations = {e.person_id: e for e in MonthlyEvaluation.objects.filter(person_id__in=ids, month=month)}
    return [(p, evaluations.get(p.pk)) for p in people]


def agency_evaluations(agency: Agency, month: datetime.date) -> QuerySet[MonthlyEvaluation]:
    return (
        MonthlyEvaluation.objects.filter(agency=agency, month=month)
        .select_related("person", "unit")
        .order_by("unit__code", "person__full_name")
    )


def read_agencies(user: User) -> list[Agency]:
    """Agencies whose evaluations the user reads in full: leaders, HR, administrators, province scope."""
    scope = org_selectors.access_scope(user)
    if not (scope.everything or scope.agency_ids or scope.province_ids):
        return []
    agencies = Agency.objects.order_by("code")
    if scope.everything:
        return list(agencies)
    return list(agencies.filter(Q(pk__in=scope.agency_ids) | Q(province_id__in=scope.province_ids)))


@dataclass(frozen=True)
class PeriodResult:
    label: str
    months: int
    score: Decimal | None
    rating: str | None

    @property
    def rating_label(self) -> str:
        return Rating(self.rating).label if self.rating else ""


def period_results(person: User, year: int) -> list[PeriodResult]:
    """Quarter and year results of a person: the average of the final monthly scores of the period.

    A disciplinary measure dated in the period makes the period "not completed".
    """
    finals = {
        e.month.month: e.total_score
        for e in MonthlyEvaluation.objects.filter(
            person=person, month__year=year, status=EvaluationStatus.FINAL
        )
    }
    measures = [
        m.decided_on for m in DisciplinaryMeasure.objects.filter(person=person, decided_on__year=year)
    ]
    periods = [(f"Q{q}", range(3 * q - 2, 3 * q + 1)) for q in range(1, 5)] + [(str(year), range(1, 13))]
    results = []
    for label, months in periods:
        scores = [finals[m] for m in months if m in finals]
        score = scoring.average(scores)
        disciplined = any(d.month in months for d in measures)
        rating = scoring.rating_for(score, disciplined=disciplined) if score is not None else None
        results.append(PeriodResult(label, len(scores), score, rating))
    return results


def appeal_of(evaluation: MonthlyEvaluation) -> Appeal | None:
    return Appeal.objects.filter(evaluation=evaluation).select_related("decided_by").first()
