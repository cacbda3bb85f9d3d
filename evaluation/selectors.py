"""Reads for review and scoring: the reviewer's queue, the evaluations to score or finalise, explanations."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from kpi_portal import standards
from kpi_portal.periods import month_end
from org import selectors as org_selectors
from org.models import Agency, Membership, User
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
        .select_related("agency", "task", "stage", "reviewed_by", "objective_cause_by")
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
