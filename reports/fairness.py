"""The fairness view before a month is finalised (issue 16): how the ratings spread, read-only.

For an agency and a month (or the months of a quarter, for the quarterly PDF) it compares with the
agency as a whole:

- each **unit**: how many of its scored people got each rating, and the share of each;
- each **reviewer** (``MonthlyEvaluation.scored_by``: the unit head, the agency leader or a delegate):
  how many they scored, their mean general-criteria score (``general_score``, the reviewer's points of
  the general criteria capped at the agency's weights, out of 30: ``evaluation.scoring.general_score``),
  the share they rated excellent, and the mean gap between their general score and the person's own
  (reviewer minus self-assessment, over the people who assessed themselves). A reviewer who scored at
  least ``standards.FAIRNESS_MIN_SCORED`` people and lies ``FAIRNESS_GENERAL_GAP_POINTS`` above (below)
  the agency's mean, or ``FAIRNESS_EXCELLENT_SHARE_GAP_PERCENT`` above (below) its excellent share, is
  marked lenient (strict);
- **hours a day against ratings** (``PersonMonth``, the one definition of hours worked): people rated
  excellent whose standard hours a day are below the agency's lower quartile, and people rated completed
  or not completed above its upper quartile (``FAIRNESS_LOW_HOURS_QUANTILE``, ``…_HIGH_…``).

"Scored" means scored by the reviewer or final: the evaluations a leader is about to finalise and
those already final. Everything is read in four queries whatever the agency's size: the evaluations
(with each one's self-assessed points), the people's months, and the months to choose from.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

import pygal
from django.db.models import Count, Q, Sum
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from evaluation.models import CriterionScore, EvaluationStatus, MonthlyEvaluation, Rating
from kpi_portal import standards
from org.models import Agency

from . import charts
from .models import MonthRun, PersonMonth

SCORED_STATUSES = (EvaluationStatus.SCORED, EvaluationStatus.FINAL)
WAITING_STATUSES = (EvaluationStatus.OPEN, EvaluationStatus.SELF_ASSESSED)
# Best first, as the evaluation pages list them.
RATINGS = (Rating.EXCELLENT, Rating.GOOD, Rating.COMPLETED, Rating.NOT_COMPLETED)
MODEST_RATINGS = (Rating.COMPLETED, Rating.NOT_COMPLETED)

LENIENT, STRICT, MIXED = "lenient", "strict", "mixed"


@dataclass(frozen=True)
class Scored:
    """One evaluation scored by its reviewer (or final), with the person's hours a day when computed."""

    pk: int
    person_id: int
    person_name: str
    unit_id: int
    unit_code: str
    unit_name: str
    month: datetime.date
    status: str
    rating: str
    general: Decimal
    total: Decimal
    reviewer_id: int | None
    reviewer_name: str
    self_general: Decimal | None
    hours_per_day: Decimal | None = None

    @property
    def gap(self) -> Decimal | None:
        """The reviewer's general score minus the person's own (None when they did not assess themselves)."""
        return None if self.self_general is None else self.general - self.self_general

    @property
    def rating_label(self) -> str:
        return str(Rating(self.rating).label)

    @property
    def is_final(self) -> bool:
        return self.status == EvaluationStatus.FINAL


def _mean(values: Iterable[Decimal]) -> Decimal | None:
    values = list(values)
    return sum(values, Decimal(0)) / len(values) if values else None


@dataclass
class Group:
    """Evaluations taken together: a unit's, a reviewer's or the whole agency's."""

    name: str
    pk: int | None = None
    code: str = ""
    rows: list[Scored] = field(default_factory=list)

    @property
    def scored(self) -> int:
        return len(self.rows)

    def count(self, rating: str) -> int:
        return sum(1 for r in self.rows if r.rating == rating)

    def share(self, rating: str) -> Decimal:
        """Percent of the group's scored people with ``rating`` (0 for an empty group)."""
        return Decimal(100) * self.count(rating) / self.scored if self.rows else Decimal(0)

    @property
    def excellent(self) -> int:
        return self.count(Rating.EXCELLENT)

    @property
    def excellent_share(self) -> Decimal:
        return self.share(Rating.EXCELLENT)

    @property
    def mean_general(self) -> Decimal | None:
        return _mean(r.general for r in self.rows)

    @property
    def mean_score(self) -> Decimal | None:
        return _mean(r.total for r in self.rows)

    @property
    def self_assessed(self) -> int:
        return sum(1 for r in self.rows if r.gap is not None)

    @property
    def mean_gap(self) -> Decimal | None:
        """Mean of reviewer minus self-assessment, over those who assessed themselves."""
        return _mean(r.gap for r in self.rows if r.gap is not None)

    @property
    def distribution(self) -> list[dict]:
        """Each rating, best first: its label, count and share of the group's scored people."""
        return [
            {
                "rating": rating,
                "label": rating.label,
                "count": self.count(rating),
                "share": self.share(rating),
            }
            for rating in RATINGS
        ]


@dataclass
class ReviewerRow:
    """A reviewer's figures beside the agency's."""

    group: Group
    agency: Group

    @property
    def general_diff(self) -> Decimal | None:
        mine, theirs = self.group.mean_general, self.agency.mean_general
        return None if mine is None or theirs is None else mine - theirs

    @property
    def share_diff(self) -> Decimal:
        return self.group.excellent_share - self.agency.excellent_share

    @property
    def tendency(self) -> str:
        """``lenient``, ``strict``, ``mixed`` (one way on one measure, the other on the other) or ``""``."""
        if self.group.scored < standards.FAIRNESS_MIN_SCORED or self.general_diff is None:
            return ""
        general, share = self.general_diff, self.share_diff
        higher = general >= standards.FAIRNESS_GENERAL_GAP_POINTS or (
            share >= standards.FAIRNESS_EXCELLENT_SHARE_GAP_PERCENT
        )
        lower = general <= -standards.FAIRNESS_GENERAL_GAP_POINTS or (
            share <= -standards.FAIRNESS_EXCELLENT_SHARE_GAP_PERCENT
        )
        if higher and lower:
            return MIXED
        return LENIENT if higher else STRICT if lower else ""

    @property
    def tendency_label(self) -> str:
        return {
            LENIENT: _("More lenient than the agency"),
            STRICT: _("Stricter than the agency"),
            MIXED: _("Differs from the agency"),
        }.get(self.tendency, "")


@dataclass
class Fairness:
    agency: Agency
    months: list[datetime.date]
    whole: Group
    units: list[Group]
    reviewers: list[ReviewerRow]
    # Evaluations of the period not scored yet (waiting for the self-assessment or the reviewer).
    waiting: int
    # Standard hours a day at the agency's quartiles (None when the period's figures are not computed).
    low_hours: Decimal | None
    high_hours: Decimal | None
    excellent_few_hours: list[Scored]
    modest_many_hours: list[Scored]
    # Scored people without figures for the month (figures not computed, or not in the agency's rows).
    without_hours: int

    @property
    def empty(self) -> bool:
        return not self.whole.rows

    @property
    def final(self) -> int:
        return sum(1 for r in self.whole.rows if r.is_final)

    @property
    def to_finalise(self) -> int:
        return self.whole.scored - self.final


def quantile(values: Sequence[Decimal], fraction: Decimal) -> Decimal | None:
    """The ``fraction`` quantile of ``values``, interpolated between the two nearest (PostgreSQL's
    ``percentile_cont``; Python's ``statistics.quantiles(method="inclusive")``); None without values."""
    ordered = sorted(values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * Decimal(fraction)
    low = math.floor(position)
    high = math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def months_to_choose(agency: Agency) -> tuple[list[datetime.date], datetime.date | None]:
    """(the months with scored evaluations or computed figures, newest first; the month to show first).

    The month shown first is the newest with something scored, so the page opens on the month a
    leader is finalising rather than on an empty one just computed.
    """
    scored = set(
        MonthlyEvaluation.objects.filter(agency=agency, status__in=SCORED_STATUSES)
        .order_by()
        .values_list("month", flat=True)
        .distinct()
    )
    computed = set(MonthRun.objects.filter(agency=agency).values_list("month", flat=True))
    months = sorted(scored | computed, reverse=True)
    first = max(scored) if scored else (months[0] if months else None)
    return months, first


def _evaluations(agency: Agency, months: Sequence[datetime.date]) -> tuple[list[Scored], int]:
    """The period's scored evaluations (with the self-assessed points) and how many still wait: one query."""
    rows = (
        MonthlyEvaluation.objects.filter(agency=agency, month__in=list(months))
        .order_by()
        .values(
            "pk",
            "person_id",
            "person__full_name",
            "person__username",
            "unit_id",
            "unit__code",
            "unit__name",
            "month",
            "status",
            "rating",
            "general_score",
            "total_score",
            "scored_by_id",
            "scored_by__full_name",
            "scored_by__username",
        )
        .annotate(
            self_points=Sum("criteria__points", filter=Q(criteria__by=CriterionScore.By.SELF)),
            self_count=Count("criteria", filter=Q(criteria__by=CriterionScore.By.SELF)),
        )
    )
    scored = []
    waiting = 0
    for row in rows:
        if row["status"] not in SCORED_STATUSES or not row["rating"]:
            waiting += row["status"] in WAITING_STATUSES
            continue
        scored.append(
            Scored(
                pk=row["pk"],
                person_id=row["person_id"],
                person_name=row["person__full_name"] or row["person__username"],
                unit_id=row["unit_id"],
                unit_code=row["unit__code"],
                unit_name=row["unit__name"],
                month=row["month"],
                status=row["status"],
                rating=row["rating"],
                general=row["general_score"],
                total=row["total_score"],
                reviewer_id=row["scored_by_id"],
                reviewer_name=row["scored_by__full_name"] or row["scored_by__username"] or "",
                self_general=row["self_points"] if row["self_count"] else None,
            )
        )
    return scored, waiting


def _hours(agency: Agency, months: Sequence[datetime.date]) -> tuple[dict, list[Decimal]]:
    """({(person, month): hours a day}, the hours a day of the people in the headcount): one query."""
    by_person: dict[tuple[int, datetime.date], Decimal] = {}
    headcount: list[Decimal] = []
    rows = PersonMonth.objects.filter(agency=agency, month__in=list(months)).values_list(
        "person_id", "month", "approved_minutes", "working_days", "in_headcount"
    )
    for person_id, month, minutes, days, in_headcount in rows:
        hours = standards.hours_per_day(minutes, days)
        by_person[person_id, month] = hours
        if in_headcount and days:
            headcount.append(hours)
    return by_person, headcount


def _hours_of(row: Scored) -> Decimal:
    return row.hours_per_day or Decimal(0)


def fairness(agency: Agency, months: Sequence[datetime.date]) -> Fairness:
    """The fairness figures of an agency over ``months`` (one month on the page, a quarter in the PDF)."""
    months = sorted(months)
    scored, waiting = _evaluations(agency, months) if months else ([], 0)
    hours, headcount = _hours(agency, months) if months else ({}, [])
    rows = [
        replace(r, hours_per_day=hours.get((r.person_id, r.month)))
        for r in sorted(scored, key=lambda r: (r.unit_code, r.person_name, r.month))
    ]
    whole = Group(name=agency.name, pk=None, code=agency.code, rows=rows)
    units: dict[int, Group] = {}
    reviewers: dict[int | None, Group] = {}
    for row in rows:
        units.setdefault(
            row.unit_id, Group(name=row.unit_name, pk=row.unit_id, code=row.unit_code)
        ).rows.append(row)
        reviewers.setdefault(
            row.reviewer_id, Group(name=row.reviewer_name or _("Reviewer not recorded"), pk=row.reviewer_id)
        ).rows.append(row)
    low = quantile(headcount, standards.FAIRNESS_LOW_HOURS_QUANTILE)
    high = quantile(headcount, standards.FAIRNESS_HIGH_HOURS_QUANTILE)
    measured = [(r, r.hours_per_day) for r in rows if r.hours_per_day is not None]
    excellent_few = [r for r, h in measured if low is not None and r.rating == Rating.EXCELLENT and h < low]
    modest_many = [r for r, h in measured if high is not None and r.rating in MODEST_RATINGS and h > high]
    return Fairness(
        agency=agency,
        months=list(months),
        whole=whole,
        units=sorted(units.values(), key=lambda g: g.code),
        reviewers=[
            ReviewerRow(group=g, agency=whole)
            for g in sorted(reviewers.values(), key=lambda g: (g.pk is None, g.name, g.pk or 0))
        ],
        waiting=waiting,
        low_hours=low,
        high_hours=high,
        excellent_few_hours=sorted(
            excellent_few, key=lambda r: (r.hours_per_day or Decimal(0), r.person_name)
        ),
        modest_many_hours=sorted(
            modest_many, key=lambda r: (-(r.hours_per_day or Decimal(0)), r.person_name)
        ),
        without_hours=len(rows) - len(measured),
    )


# Charts: the dashboards' pygal style and settings (``reports.charts``) ---------------------------------


def _percent(value: Decimal) -> float:
    return float(standards.rounded(value, 1))


def units_chart(data: Fairness) -> SafeString:
    """Each unit's ratings as shares of its scored people, the agency's last, to compare at a glance."""
    groups = [*data.units, data.whole]
    chart = pygal.HorizontalStackedBar(
        **charts._config(
            title=_("Ratings by unit (percent of those scored)"),
            legend_at_bottom=True,
            height=max(260, 40 * len(groups) + 120),
            range=(0, 100),
            print_values=False,
        )
    )
    chart.x_labels = [g.code or g.name for g in data.units] + [_("Agency")]
    for rating in RATINGS:
        chart.add(str(rating.label), [_percent(g.share(rating)) for g in groups])
    return charts._render(chart)


def reviewers_chart(data: Fairness) -> SafeString:
    """Each reviewer's mean general score against the agency's."""
    rows = [r for r in data.reviewers if r.group.mean_general is not None]
    chart = pygal.HorizontalBar(
        **charts._config(
            title=_("Mean general criteria score by reviewer"),
            legend_at_bottom=True,
            height=max(260, 34 * len(rows) + 120),
            range=(0, standards.GENERAL_POINTS),
        )
    )
    chart.x_labels = [r.group.name for r in rows]
    chart.add(_("Reviewer"), [charts._plotted(r.group.mean_general or Decimal(0)) for r in rows])
    agency_mean = charts._plotted(data.whole.mean_general or Decimal(0))
    chart.add(_("Agency"), [agency_mean] * len(rows))
    return charts._render(chart)


def excellent_chart(data: Fairness) -> SafeString:
    """Each reviewer's share rated excellent against the agency's."""
    chart = pygal.HorizontalBar(
        **charts._config(
            title=_("Share rated excellent by reviewer (percent)"),
            legend_at_bottom=True,
            height=max(260, 34 * len(data.reviewers) + 120),
            range=(0, 100),
        )
    )
    chart.x_labels = [r.group.name for r in data.reviewers]
    chart.add(_("Reviewer"), [_percent(r.group.excellent_share) for r in data.reviewers])
    chart.add(_("Agency"), [_percent(data.whole.excellent_share)] * len(data.reviewers))
    return charts._render(chart)


def hours_chart(data: Fairness) -> SafeString:
    """Standard hours a day against the score, one series per rating, with the agency's quartiles."""
    chart = pygal.XY(
        **charts._config(
            title=_("Standard hours a day and score"),
            legend_at_bottom=True,
            stroke=False,
            print_values=False,
            range=(0, standards.TOTAL_POINTS),
            xrange=charts.HOURS_AXIS,
            x_title=_("Standard hours a day"),
            y_title=_("Score"),
        )
    )
    for rating in RATINGS:
        chart.add(
            str(rating.label),
            [
                (charts._plotted(h), charts._plotted(r.total))
                for r in data.whole.rows
                if r.rating == rating and (h := r.hours_per_day) is not None
            ],
        )
    for label, hours in ((_("Lower quartile"), data.low_hours), (_("Upper quartile"), data.high_hours)):
        if hours is not None:
            x = charts._plotted(hours)
            chart.add(
                label,
                [(x, 0), (x, standards.TOTAL_POINTS)],
                stroke=True,
                show_dots=False,
                stroke_style={"dasharray": "6, 4"},
            )
    return charts._render(chart)


def fairness_charts(data: Fairness) -> dict[str, SafeString]:
    if data.empty:
        return {}
    drawn = {
        "units": units_chart(data),
        "reviewers": reviewers_chart(data),
        "excellent": excellent_chart(data),
    }
    if any(r.hours_per_day is not None for r in data.whole.rows):
        drawn["hours"] = hours_chart(data)
    return drawn


def period_label(months: Sequence[datetime.date]) -> str:
    if not months:
        return ""
    first, last = min(months), max(months)
    if first == last:
        return date_format(first, "YEAR_MONTH_FORMAT")
    return f"{date_format(first, 'YEAR_MONTH_FORMAT')} – {date_format(last, 'YEAR_MONTH_FORMAT')}"


def pdf_context(agency: Agency, months: Sequence[datetime.date]) -> dict:
    """What ``templates/reports/pdf/_fairness.html`` reads, for a PDF of ``months`` (a quarter's)."""
    data = fairness(agency, months)
    return {
        "fairness": data,
        "fairness_period": period_label(data.months),
        "fairness_charts": fairness_charts(data),
    }
