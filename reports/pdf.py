"""PDF reports: the quarterly report for HR, the monthly report of an agency and a person's monthly sheet.

HTML templates (``templates/reports/pdf/``) rendered by WeasyPrint, with the dashboards' SVG charts
(``reports.charts``) drawn inline and the vendored Noto Sans embedded, so Vietnamese reads the same on
every machine and nothing is fetched from the network. Figures come from the materialised months
(``PersonMonth``, ``UnitMonth``); a month of the period that was never computed, or the month still
going, is computed first. Hours a day, staffing need, buckets, anomalies and missing evidence follow
SPEC.md through ``kpi_portal.standards``; months and quarters come from ``kpi_portal.periods``.

Each function takes an optional ``progress(percent, step)`` callback so that a job can show how far it is.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import cast

from django.contrib.staticfiles import finders
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from evaluation.models import EvaluationStatus, MonthlyEvaluation, Rating
from kpi_portal import periods, standards
from org import calendar
from org import selectors as org_selectors
from org.models import Agency, Membership, Unit, User
from worklog.models import DiaryEntry, EntryStatus

from . import charts, selectors
from .models import ROMAN_QUARTERS, HoursWorked, MonthRun, PersonMonth, UnitMonth, quarter_label
from .services import lock_month, month_compute

Progress = Callable[[int, str], None]

FONT_DIR = "vendor/noto-sans-2.003"  # 2.015 breaks pdftotext on "ị": see catalog/handbook.py
# The anomalies list the entries without evidence one by one up to this number, then count the rest.
MISSING_EVIDENCE_LISTED = 100
# Short ratings for the quarter's month columns; the legend under the table spells them out.
RATING_SHORT: dict[str, Promise] = {
    Rating.EXCELLENT: pgettext_lazy("rating, short", "E"),
    Rating.GOOD: pgettext_lazy("rating, short", "G"),
    Rating.COMPLETED: pgettext_lazy("rating, short", "C"),
    Rating.NOT_COMPLETED: pgettext_lazy("rating, short", "N"),
}
NOT_FINAL_SHORT = "–"


def _silent(percent: int, step: str) -> None:
    """The progress callback when nobody is watching."""


# Periods ------------------------------------------------------------------------------------------


def quarter_months(first_month: datetime.date) -> list[datetime.date]:
    """The months of the quarter that have begun (a quarter still going has fewer than three)."""
    current = periods.month_start(org_selectors.today())
    return [m for m in periods.quarter_months(first_month) if m <= current]


def months_ready(
    agency: Agency, months: Sequence[datetime.date], progress: Progress, start: int, end: int
) -> None:
    """Compute the months never computed, those with changes waiting to be computed (``StaleMonth``),
    and the month still going (its figures change every day): a report never prints stale figures."""
    current = periods.month_start(org_selectors.today())

    def done(month: datetime.date) -> bool:
        computed = MonthRun.objects.filter(agency=agency, month=month).exists()
        return month < current and computed and not selectors.being_updated(agency, month)

    for index, month in enumerate(months):
        if done(month):
            continue
        # Reported before the transaction below: inside it, the polling page would not see the step.
        progress(
            start + (end - start) * index // len(months),
            _("Computing the figures of %(month)s") % {"month": date_format(month, "YEAR_MONTH_FORMAT")},
        )
        with transaction.atomic():
            # One computation of an agency's month at a time: the second job finds the month done.
            lock_month(agency.pk, month)
            if not done(month):
                month_compute(agency=agency, month=month)


# Figures of a period ------------------------------------------------------------------------------


@dataclass
class PersonPeriod(HoursWorked):
    """A person's figures over several months of an agency: the months' ``PersonMonth`` rows added up.

    Hours a day are over the working days of the months the person was in the agency.
    """

    person: User
    unit: Unit
    in_headcount: bool = False
    working_days: int = 0
    approved_minutes: Decimal = Decimal(0)
    estimate_minutes: int = 0
    days_with_entries: int = 0
    pending_count: int = 0
    returned_count: int = 0
    days_over_eight: int = 0
    missing_evidence: int = 0
    months: dict[datetime.date, PersonMonth] = field(default_factory=dict)
    ratings: list[str] = field(default_factory=list)  # short monthly ratings, filled for the report

    def add(self, row: PersonMonth) -> None:
        self.unit = row.unit  # rows come oldest first: the unit of the latest month wins
        self.in_headcount = self.in_headcount or row.in_headcount
        self.working_days += row.working_days
        self.approved_minutes += row.approved_minutes
        self.estimate_minutes += row.estimate_minutes
        self.days_with_entries += row.days_with_entries
        self.pending_count += row.pending_count
        self.returned_count += row.returned_count
        self.days_over_eight += row.days_over_eight
        self.missing_evidence += row.missing_evidence
        self.months[row.month] = row

    def month_ratings(self, months: Sequence[datetime.date]) -> list[str]:
        """Each month's final rating, short; "–" not final yet; empty when the person was not there."""
        cells = []
        for month in months:
            row = self.months.get(month)
            cells.append("" if row is None else str(RATING_SHORT.get(row.rating, NOT_FINAL_SHORT)))
        return cells


@dataclass
class PeriodRollup:
    """A unit's (``unit`` empty: the agency's) figures over several months, read like a ``UnitMonth``."""

    unit: Unit | None
    working_days: int = 0
    headcount: int = 0  # at the end of the period
    approved_minutes: Decimal = Decimal(0)
    person_days: int = 0  # Σ working days × headcount, month by month
    distribution: list[int] = field(default_factory=lambda: [0, 0, 0, 0])
    ratings: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Rating.values, 0))
    unrated: int = 0

    @property
    def approved_hours(self) -> Decimal:
        return self.approved_minutes / 60

    @property
    def hours_per_day(self) -> Decimal:
        return standards.hours_per_day(self.approved_minutes, self.person_days)

    @property
    def staffing_need(self) -> Decimal:
        """SPEC: approved standard hours ÷ (8 × working days of the period)."""
        return standards.staffing_need(self.approved_minutes, self.working_days)

    @property
    def surplus(self) -> Decimal:
        return standards.surplus(self.headcount, self.staffing_need)

    @property
    def rated(self) -> int:
        return sum(self.ratings.values())


def period_people(agency: Agency, months: Sequence[datetime.date]) -> list[PersonPeriod]:
    """Everyone with a month in the period, by unit code and name: one query."""
    rows = (
        PersonMonth.objects.filter(agency=agency, month__in=months)
        .select_related("person", "unit")
        .order_by("month", "pk")
    )
    people: dict[int, PersonPeriod] = {}
    for row in rows:
        people.setdefault(row.person_id, PersonPeriod(person=row.person, unit=row.unit)).add(row)
    return sorted(people.values(), key=lambda p: (p.unit.code, p.person.full_name, p.person.pk))


def period_rollups(
    agency: Agency, months: Sequence[datetime.date], people: Sequence[PersonPeriod]
) -> tuple[PeriodRollup, list[PeriodRollup]]:
    """(the agency, its units) over the period, from the months' ``UnitMonth`` rows: one query."""
    last = max(months)
    rollups: dict[int | None, PeriodRollup] = {}
    for row in UnitMonth.objects.filter(agency=agency, month__in=months).select_related("unit"):
        rollup = rollups.setdefault(row.unit_id, PeriodRollup(unit=row.unit))
        rollup.working_days += row.working_days
        rollup.approved_minutes += row.approved_minutes
        rollup.person_days += row.working_days * row.headcount
        if row.month == last:
            rollup.headcount = row.headcount
        for rating, count in row.ratings.items():
            rollup.ratings[rating] += count
        rollup.unrated += row.unrated
    whole = rollups.pop(None, None) or PeriodRollup(unit=None)
    for person in people:
        if person.in_headcount:
            whole.distribution[standards.hours_bucket(person.hours_per_day)] += 1
    units = sorted(rollups.values(), key=lambda r: cast(Unit, r.unit).code)
    return whole, units


def month_figures(agency: Agency, months: Sequence[datetime.date]) -> list[UnitMonth]:
    return list(UnitMonth.objects.filter(agency=agency, month__in=months, unit=None).order_by("month"))


@dataclass(frozen=True)
class Anomalies:
    too_many_hours: list[tuple[datetime.date | None, object]]  # (month or None for the period, row)
    missing_evidence: list[DiaryEntry]
    missing_evidence_count: int
    pending_count: int
    returned_count: int

    @property
    def any(self) -> bool:
        return bool(self.too_many_hours or self.missing_evidence_count)


def anomalies(
    agency: Agency,
    start: datetime.date,
    end: datetime.date,
    month_rows: Sequence[PersonMonth],
    period_rows: Sequence[PersonPeriod] = (),
) -> Anomalies:
    """Averages above 10 standard hours a working day, and submitted or approved entries lacking evidence."""
    too_many: list[tuple[datetime.date | None, object]] = [
        (None, p) for p in period_rows if standards.above_ten_hours(p.hours_per_day)
    ]
    too_many += [
        (r.month, r)
        for r in sorted(month_rows, key=lambda r: (r.month, r.unit.code, r.person.full_name))
        if standards.above_ten_hours(r.hours_per_day)
    ]
    missing = (
        DiaryEntry.objects.filter(standards.missing_evidence_q(), agency=agency, date__range=(start, end))
        .select_related("person", "unit", "task")
        .order_by("date", "person__full_name", "pk")
    )
    return Anomalies(
        too_many_hours=too_many,
        missing_evidence=list(missing[:MISSING_EVIDENCE_LISTED]),
        # The figures already count them (the same definition): no second pass over the diary.
        missing_evidence_count=sum(r.missing_evidence for r in month_rows),
        pending_count=sum(r.pending_count for r in month_rows),
        returned_count=sum(r.returned_count for r in month_rows),
    )


def agency_head(agency: Agency, on: datetime.date) -> User | None:
    """The head of the agency's leadership board (the root unit) on a date."""
    membership = (
        Membership.objects.active_on(on)
        .filter(unit__agency=agency, unit__parent__isnull=True, is_head=True)
        .select_related("person")
        .first()
    )
    return membership.person if membership else None


# Rendering ----------------------------------------------------------------------------------------


def _font_url(name: str) -> str:
    path = finders.find(f"{FONT_DIR}/{name}")
    if path is None:  # pragma: no cover - the font is committed under static/
        raise FileNotFoundError(f"{FONT_DIR}/{name} is missing from static/")
    return Path(path).as_uri()


def fonts() -> dict[str, str]:
    return {
        "regular": _font_url("NotoSans-Regular.ttf"),
        "bold": _font_url("NotoSans-Bold.ttf"),
        "italic": _font_url("NotoSans-Italic.ttf"),
    }


def render(template: str, context: dict, progress: Progress, start: int) -> bytes:
    """HTML → PDF with WeasyPrint, reading our own font files only (nothing from the network)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(template, {**context, "fonts": fonts(), "printed_on": timezone.localdate()})
    progress(start, _("Laying out the pages"))
    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"file"})).render()
    progress(start + (100 - start) * 2 // 3, _("Writing the PDF file"))
    return document.write_pdf()


def _period_end(months: Sequence[datetime.date]) -> datetime.date:
    return min(periods.month_end(max(months)), org_selectors.today())


def quarterly_pdf(
    agency: Agency, first_month: datetime.date, progress: Progress | None = None, *, prepared_by=None
) -> bytes:
    """The quarterly report for HR: units, people, charts, anomalies, signatures."""
    progress = progress or _silent
    months = quarter_months(first_month)
    if not months:
        raise ValueError(f"the quarter of {first_month} has not begun")
    months_ready(agency, months, progress, 5, 50)
    progress(50, _("Adding up the quarter"))
    people = period_people(agency, months)
    whole, units = period_rollups(agency, months, people)
    for person in people:
        person.ratings = person.month_ratings(months)
    by_month = month_figures(agency, months)
    month_rows = [row for person in people for row in person.months.values()]
    start, end = months[0], _period_end(months)
    found = anomalies(agency, start, end, month_rows, people)
    progress(60, _("Drawing the charts"))
    context = {
        "agency": agency,
        "title": _("Report for quarter %(quarter)s/%(year)s — %(agency)s")
        % {
            "quarter": ROMAN_QUARTERS[periods.quarter_of(first_month) - 1],
            "year": first_month.year,
            "agency": agency.name,
        },
        "quarter": quarter_label(first_month),
        "start": start,
        "end": end,
        "complete": len(months) == periods.MONTHS_A_QUARTER and end == periods.month_end(end),
        "months": months,
        "whole": whole,
        "units": units,
        "by_month": by_month,
        "people": people,
        "anomalies": found,
        "charts": {
            "distribution": charts.hours_distribution(whole),
            "ratings": charts.ratings(whole),
            "trend": charts.trend(selectors.trend(agency, until=months[-1])),
            "staffing": charts.staffing(units),
        },
        "head": agency_head(agency, end),
        "prepared_by": prepared_by,
    }
    return render("reports/pdf/quarterly.html", context, progress, 65)


def monthly_pdf(
    agency: Agency, month: datetime.date, progress: Progress | None = None, *, prepared_by=None
) -> bytes:
    """The month's figures per unit and person, ratings when final: sent to the Department of Home Affairs."""
    progress = progress or _silent
    month = periods.month_start(month)
    months_ready(agency, [month], progress, 5, 40)
    progress(45, _("Reading the month's figures"))
    whole, units = selectors.agency_rollups(agency, month)
    people = list(selectors.people(agency, month))
    start, end = month, _period_end([month])
    found = anomalies(agency, start, end, people)
    progress(55, _("Drawing the charts"))
    finals = sum(1 for row in people if row.rating)
    context = {
        "agency": agency,
        "title": _("Monthly report %(month)s — %(agency)s")
        % {"month": date_format(month, "YEAR_MONTH_FORMAT"), "agency": agency.name},
        "month": month,
        "start": start,
        "end": end,
        "due": standards.monthly_report_due(month),
        "whole": whole,
        "units": units,
        "people": people,
        "finals": finals,
        "anomalies": found,
        "charts": {
            "distribution": charts.hours_distribution(whole),
            "ratings": charts.ratings(whole),
            "trend": charts.trend(selectors.trend(agency, until=month)),
            "staffing": charts.staffing(units),
        }
        if whole
        else {},
        "head": agency_head(agency, end),
        "prepared_by": prepared_by,
    }
    return render("reports/pdf/monthly.html", context, progress, 60)


@dataclass(frozen=True)
class SheetDay:
    date: datetime.date
    is_working_day: bool
    entries: list[DiaryEntry]
    approved_minutes: Decimal

    @property
    def approved_hours(self) -> Decimal:
        return self.approved_minutes / 60


def person_sheet_context(person: User, agency: Agency, month: datetime.date) -> dict:
    """A person's month read straight from their diary, so the sheet is current even before the month runs."""
    month = periods.month_start(month)
    start, end = periods.month_bounds(month.year, month.month)
    working = calendar.working_days(agency, start, end)
    working_set = set(working)
    entries = list(
        DiaryEntry.objects.filter(person=person, agency=agency, date__range=(start, end))
        .exclude(status=EntryStatus.DRAFT)
        .select_related("task", "stage")
        .order_by("date", "pk")
    )
    by_day: dict[datetime.date, list[DiaryEntry]] = {}
    for entry in entries:
        by_day.setdefault(entry.date, []).append(entry)
    until = min(end, org_selectors.today())
    days = [
        SheetDay(
            date=day,
            is_working_day=day in working_set,
            entries=by_day.get(day, []),
            approved_minutes=sum(
                (e.standard_minutes for e in by_day.get(day, []) if e.status == EntryStatus.APPROVED),
                Decimal(0),
            ),
        )
        for day in sorted({d for d in working_set if d <= until} | set(by_day))
    ]
    approved = sum((d.approved_minutes for d in days), Decimal(0))
    hours_per_day = standards.hours_per_day(approved, len(working))
    counts = dict(
        DiaryEntry.objects.filter(person=person, agency=agency, date__range=(start, end))
        .values_list("status")
        .annotate(count=Count("pk"))
    )
    evaluation = (
        MonthlyEvaluation.objects.filter(person=person, month=month, agency=agency)
        .select_related("unit", "scored_by", "finalised_by")
        .first()
    )
    on = min(end, org_selectors.today())
    membership = (
        Membership.objects.filter(person=person, unit__agency=agency, start__lte=end)
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .select_related("unit")
        .order_by("-start")
        .first()
    )
    supervisor = evaluation.scored_by if evaluation and evaluation.scored_by else None
    if supervisor is None:
        reviewer_id = org_selectors.review_map(agency.pk, on).get(person.pk)
        supervisor = User.objects.filter(pk=reviewer_id).first() if reviewer_id else None
    return {
        "agency": agency,
        "person": person,
        "unit": evaluation.unit if evaluation else (membership.unit if membership else None),
        "month": month,
        "title": _("Monthly sheet %(month)s — %(person)s")
        % {"month": date_format(month, "YEAR_MONTH_FORMAT"), "person": person.full_name},
        "working_days": len(working),
        "days": days,
        "approved_minutes": approved,
        "approved_hours": approved / 60,
        "hours_per_day": hours_per_day,
        "share_of_eight": standards.share_of_norm(hours_per_day),
        "days_over_eight": sum(1 for d in days if standards.above_daily_norm(d.approved_minutes)),
        "pending_count": counts.get(EntryStatus.SUBMITTED, 0),
        "returned_count": counts.get(EntryStatus.RETURNED, 0),
        "estimate_minutes": DiaryEntry.objects.filter(
            person=person, agency=agency, date__range=(start, end), status=EntryStatus.APPROVED
        ).aggregate(total=Sum("estimate_minutes"))["total"]
        or 0,
        "evaluation": evaluation,
        "is_final": bool(evaluation and evaluation.status == EvaluationStatus.FINAL),
        "supervisor": supervisor,
        "days_chart": charts.days(
            [(date_format(d.date, "d/m"), d.approved_hours) for d in days if d.is_working_day]
        )
        if days
        else "",
    }


def person_sheet_pdf(
    person: User, agency: Agency, month: datetime.date, progress: Progress | None = None
) -> bytes:
    """A person's monthly sheet: days, approved standard hours, evaluation, two signature lines."""
    progress = progress or _silent
    progress(10, _("Reading the diary"))
    context = person_sheet_context(person, agency, month)
    return render("reports/pdf/person_sheet.html", context, progress, 40)
