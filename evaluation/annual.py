"""Reads of the annual rating (Decree 335/2025 Article 21): a person's year from their final months,
the groups of similar posts, the excellent quota of a group, the deadline, and HR's list.

The writes are in ``evaluation.services.annual``; docs/scoring.md ("Annual rating") tells the rules.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from kpi_portal import standards
from org import selectors as org_selectors
from org.models import Agency, Membership, Role, User

from . import annual_rules, scoring  # noqa: F401  (annual_rules registers the permissions)
from .models import (
    AnnualGroups,
    AnnualRating,
    AnnualStatus,
    DisciplinaryMeasure,
    EvaluationStatus,
    MonthlyEvaluation,
    Rating,
)
from .selectors import Quota, scheme_of

LEADERS = "leaders"
STAFF = "staff"
# Days before the deadline when reviewers and leaders are reminded of what is still to do.
REMINDER_DAYS = 7


def deadline(agency: Agency, year: int) -> datetime.date:
    """The last day the year's ratings may be proposed and decided: the agency's day of December."""
    return datetime.date(year, 12, scheme_of(agency).annual_deadline_day)


def default_year(today: datetime.date) -> int:
    """The year the annual pages open on: last year in January (its ratings were decided by mid-December,
    and HR then works on them: appeals, the list, the PDF; the new year has no final month yet), else
    the current year."""
    return today.year - 1 if today.month == 1 else today.year


def reference_day(year: int) -> datetime.date:
    """The day whose organisation decides a year's reviewer, unit and group: 31/12, or today before it."""
    return min(datetime.date(year, 12, 31), org_selectors.today())


@dataclass(frozen=True)
class YearFigures:
    """A person's year from their final months: the period actually worked (months not evaluated, such
    as a whole month of leave, do not count)."""

    months: int
    average: Decimal | None
    disciplined: bool

    @property
    def suggested(self) -> Rating | None:
        if self.average is None:
            return None
        return scoring.rating_for(self.average, disciplined=self.disciplined)

    @property
    def shown_average(self) -> Decimal | None:
        return standards.rounded_score(self.average) if self.average is not None else None


def year_figures(person: User, year: int) -> YearFigures:
    """The exact average of the person's final monthly scores of ``year`` (in any agency: a transfer
    keeps them), and whether a disciplinary measure is dated in the year."""
    scores = list(
        MonthlyEvaluation.objects.filter(
            person=person, month__year=year, status=EvaluationStatus.FINAL, working_days__gt=0
        ).values_list("total_score", flat=True)
    )
    disciplined = DisciplinaryMeasure.objects.filter(person=person, decided_on__year=year).exists()
    return YearFigures(len(scores), scoring.average(scores), disciplined)


def group_of(person: User, agency: Agency, on: datetime.date) -> str:
    """The person's group of similar posts for the quota: leaders (an agency leader's role or heading
    a unit) apart; the rest together, or by job position when the agency chose so."""
    is_leader = (
        Membership.objects.active_on(on).filter(person=person, unit__agency=agency, is_head=True).exists()
        or person.role_assignments.filter(role=Role.LEADER, agency=agency).exists()
    )
    if is_leader:
        return LEADERS
    if scheme_of(agency).annual_groups == AnnualGroups.POSITIONS and person.position.strip():
        return f"position:{person.position.strip()}"
    return STAFF


@dataclass(frozen=True)
class AnnualQuota(Quota):
    """The monthly quota's figures, for one group of similar posts."""

    group: str = ""


def quota(
    agency: Agency, year: int, group: str, *, counting: AnnualRating | None = None, rating: str | None = None
) -> AnnualQuota:
    """Decided ratings of a group of the agency's year; with ``counting``, as if decided ``rating``."""
    decided = AnnualRating.objects.filter(agency=agency, year=year, group=group, status=AnnualStatus.DECIDED)
    if counting is not None:
        decided = decided.exclude(pk=counting.pk)
    counts = decided.aggregate(
        good=Count("pk", filter=Q(decided_rating=Rating.GOOD)),
        excellent=Count("pk", filter=Q(decided_rating=Rating.EXCELLENT)),
    )
    good, excellent = counts["good"], counts["excellent"]
    if rating == Rating.GOOD:
        good += 1
    elif rating == Rating.EXCELLENT:
        excellent += 1
    percent = scheme_of(agency).excellent_quota_percent
    return AnnualQuota(good, excellent, scoring.excellent_allowed(good, percent), percent, group=group)


def quotas(agency: Agency, year: int) -> list[AnnualQuota]:
    """The quota of every group of the agency's year, in one query."""
    percent = scheme_of(agency).excellent_quota_percent
    rows = (
        AnnualRating.objects.filter(agency=agency, year=year)
        .values("group")
        .annotate(
            good=Count("pk", filter=Q(status=AnnualStatus.DECIDED, decided_rating=Rating.GOOD)),
            excellent=Count("pk", filter=Q(status=AnnualStatus.DECIDED, decided_rating=Rating.EXCELLENT)),
        )
        .order_by("group")
    )
    return [
        AnnualQuota(
            r["good"],
            r["excellent"],
            scoring.excellent_allowed(r["good"], percent),
            percent,
            group=r["group"],
        )
        for r in rows
    ]


def group_label(group: str) -> str:
    return AnnualRating(group=group).group_label


def agency_ratings(agency: Agency, year: int) -> QuerySet[AnnualRating]:
    return (
        AnnualRating.objects.filter(agency=agency, year=year)
        .select_related("person", "unit", "proposed_by", "decided_by", "appeal")
        .order_by("unit__code", "person__full_name")
    )


def years_of(agency: Agency) -> list[int]:
    """The years with annual ratings in the agency, the latest first."""
    return list(
        AnnualRating.objects.filter(agency=agency).order_by("-year").values_list("year", flat=True).distinct()
    )


def people_to_propose(reviewer: User, year: int) -> list[tuple[User, AnnualRating | None]]:
    """Everyone the reviewer reviews at the year's reference day, with their annual rating if any."""
    ids = org_selectors.reviewee_ids(reviewer, reference_day(year)) - {reviewer.pk}
    people = list(User.objects.filter(pk__in=ids).order_by("full_name"))
    ratings = {a.person_id: a for a in AnnualRating.objects.filter(person_id__in=ids, year=year)}
    return [(p, ratings.get(p.pk)) for p in people]
