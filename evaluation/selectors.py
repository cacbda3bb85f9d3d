"""Reads for review and scoring: the reviewer's queue, the evaluations to score or finalise, explanations."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from assignments.models import Assignment, AssignmentStatus
from kpi_portal import standards
from kpi_portal.periods import month_end
from org import selectors as org_selectors
from org.leave import days_worked
from org.models import Agency, Membership, User
from worklog.models import DiaryEntry, EntryStatus

from . import scoring
from .models import (
    Appeal,
    CriteriaVersion,
    CriterionScore,
    DisciplinaryMeasure,
    EvaluationStatus,
    GeneralCriterion,
    MonthlyEvaluation,
    Rating,
    ScoringScheme,
    TaskBasis,
)


def scheme_of(agency: Agency) -> ScoringScheme:
    """The agency's weights; an agency that never set them gets the defaults of Decree 335."""
    scheme, _created = ScoringScheme.objects.get_or_create(agency=agency)
    return scheme


def reference_day(month: datetime.date) -> datetime.date:
    """The day whose organisation decides who evaluates a month: its last day, or today for this month."""
    return min(month_end(month), org_selectors.today())


# Evaluations --------------------------------------------------------------------------------


def evaluation_of(person: User, month: datetime.date) -> MonthlyEvaluation | None:
    return (
        MonthlyEvaluation.objects.filter(person=person, month=month)
        .select_related("person", "agency", "unit", "scored_by", "finalised_by")
        .first()
    )


def criteria_version_on(day: datetime.date) -> CriteriaVersion:
    """The general criteria in force on ``day`` (a month is evaluated under those of its first day)."""
    return CriteriaVersion.objects.in_force_on(day)


def general_criteria(evaluation: MonthlyEvaluation) -> list[GeneralCriterion]:
    """The general criteria the evaluation is scored on: those of its version, in order."""
    return list(GeneralCriterion.objects.filter(version_id=evaluation.criteria_version_id).order_by("order"))


def criteria_of(evaluation: MonthlyEvaluation) -> dict[str, dict[str, CriterionScore]]:
    """{"self": {criterion key: score}, "supervisor": {...}}."""
    found: dict[str, dict[str, CriterionScore]] = {"self": {}, "supervisor": {}}
    for score in CriterionScore.objects.filter(evaluation=evaluation).select_related("criterion"):
        found[score.by][score.criterion.key] = score
    return found


def month_entries(
    person: User, month: datetime.date, basis: str = TaskBasis.CAPACITY
) -> QuerySet[DiaryEntry]:
    """The approved entries a person's task results of ``month`` are made of, on ``basis``.

    Capacity: those dated in the month. Assigned: those toward an assignment due in the month (whenever
    logged: work done ahead counts when it is due, late work in the month it was due), and the month's
    entries toward no open assignment (own initiative, or an assignment since cancelled).
    """
    period = (month, month_end(month))
    entries = DiaryEntry.objects.filter(person=person, status=EntryStatus.APPROVED)
    if basis == TaskBasis.ASSIGNED:
        open_assignment = Q(assignment__status=AssignmentStatus.OPEN)
        entries = entries.filter(
            (open_assignment & Q(assignment__due_date__range=period))
            | (Q(date__range=period) & (Q(assignment__isnull=True) | ~open_assignment))
        )
    else:
        entries = entries.filter(date__range=period)
    return entries.select_related(
        "agency", "task", "stage", "reviewed_by", "objective_cause_by", "assignment"
    ).order_by("date", "pk")


def entry_marks(entries) -> list[scoring.EntryMarks]:
    marks = []
    for e in entries:
        toward = e.counts_toward_assignment
        marks.append(
            scoring.EntryMarks(
                entry_id=e.pk,
                standard_minutes=e.standard_minutes,
                major_errors=e.major_errors,
                delays=e.delays,
                exempt=bool(e.objective_cause),
                assignment_id=e.assignment_id if toward else None,
                late=e.is_late,
            )
        )
    return marks


def month_assignments(person: User, month: datetime.date) -> list[Assignment]:
    """The person's assignments due in the month, not cancelled: the assigned workload of the month."""
    return list(
        Assignment.objects.filter(
            person=person, status=AssignmentStatus.OPEN, due_date__range=(month, month_end(month))
        )
        .select_related("task", "stage", "assigned_by")
        .order_by("due_date", "pk")
    )


@dataclass(frozen=True)
class MonthWork:
    """A person's month as the task results see it: the result, its entries and its assignments."""

    result: scoring.TaskResult
    entries: list[DiaryEntry]
    assignments: list[Assignment]


def month_work(
    evaluation: MonthlyEvaluation,
    scheme: ScoringScheme,
    unit_factor: Decimal | None = None,
    *,
    basis: str | None = None,
    capacity_ratio: Decimal | None = None,
) -> MonthWork:
    """The task results of an evaluation's month, from what the database holds, on ``basis`` (by default
    the agency's)."""
    basis = basis or scheme.task_basis
    entries = list(month_entries(evaluation.person, evaluation.month, basis))
    assignments = (
        month_assignments(evaluation.person, evaluation.month) if basis == TaskBasis.ASSIGNED else []
    )
    # The capacity basis counts the days actually worked: the working days minus approved leave.
    working_days = days_worked(
        evaluation.person_id, evaluation.agency, evaluation.month, evaluation.month_end
    )
    result = scoring.task_result(
        scheme,
        entry_marks(entries),
        working_days,
        basis=basis,
        assigned=[scoring.AssignedWork(a.pk, a.standard_minutes) for a in assignments],
        unit_factor=unit_factor,
        capacity_ratio=capacity_ratio,
    )
    return MonthWork(result, entries, assignments)


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


@dataclass(frozen=True)
class PeriodResult:
    label: str
    months: int
    score: Decimal | None
    rating: str | None

    @property
    def rating_label(self) -> str:
        return str(Rating(self.rating).label) if self.rating else ""

    @property
    def shown_score(self) -> Decimal | None:
        """The exact average as shown: two decimals, toward its rating (89,9967 → 89,99, "good")."""
        return standards.rounded_score(self.score) if self.score is not None else None


def period_results(person: User, year: int) -> list[PeriodResult]:
    """Quarter and year results of a person: the average of the final monthly scores of the period.

    The average is exact and rated as it is (never rounded first); a disciplinary measure dated in the
    period makes the period "not completed".
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
