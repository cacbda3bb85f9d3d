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
import statistics
import unicodedata
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
from evidence.models import EntryFlag
from kpi_portal import periods, standards
from org import calendar
from org import selectors as org_selectors
from org.leave import leave_days
from org.models import Agency, Membership, Unit, User
from worklog.models import DiaryEntry, EntryStatus

from . import charts, fairness, selectors
from .models import ROMAN_QUARTERS, HoursWorked, MonthRun, PersonMonth, UnitMonth, quarter_label
from .services import lock_month, month_compute

Progress = Callable[[int, str], None]

FONT_DIR = "vendor/noto-sans-2.003"  # 2.015 breaks pdftotext on "ị": see catalog/handbook.py
# The anomalies list the entries without evidence (and those with an open flag) one by one up to this
# number, then count the rest.
ANOMALIES_LISTED = 100
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


def open_months(agency: Agency, months: Sequence[datetime.date]) -> list[datetime.date]:
    """The months of a report still open (``org.calendar.month_closed``): its figures are provisional."""
    today = org_selectors.today()
    return [month for month in months if not calendar.month_closed(agency, month, today)]


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
        rollup.person_days += row.person_days
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
class UnitOutlier:
    """A person far above their unit's median hours a day (``standards.ANOMALY_UNIT_MEDIAN_FACTOR``)."""

    row: PersonMonth | PersonPeriod
    median: Decimal

    @property
    def ratio(self) -> Decimal:
        """The person's hours a day as a percentage of the unit's median."""
        return self.row.hours_per_day / self.median * 100


@dataclass(frozen=True)
class EstimateExcess:
    """A person whose approved standard minutes are far above their own estimate of the same entries."""

    person: User
    unit: Unit
    approved_minutes: Decimal
    estimate_minutes: int

    @property
    def approved_hours(self) -> Decimal:
        return self.approved_minutes / 60

    @property
    def estimate_hours(self) -> Decimal:
        return Decimal(self.estimate_minutes) / 60

    @property
    def ratio(self) -> Decimal:
        """Approved standard minutes as a percentage of the estimate."""
        return self.approved_minutes / self.estimate_minutes * 100


@dataclass(frozen=True)
class Anomalies:
    """What a report asks its reader to look into (``Bất thường cần xem xét``), each under its threshold
    from ``kpi_portal.standards``, and the entries still waiting for review or returned."""

    above_norm: list[tuple[datetime.date | None, PersonMonth | PersonPeriod]]  # (month, or None: the period)
    above_unit_median: list[UnitOutlier]
    open_flags: list[EntryFlag]
    open_flags_count: int
    above_estimate: list[EstimateExcess]
    missing_evidence: list[DiaryEntry]
    missing_evidence_count: int
    pending_count: int
    returned_count: int
    # The thresholds, for the report to state them.
    hours_a_day: Decimal = standards.ANOMALY_HOURS_A_DAY
    unit_median_percent: Decimal = standards.ANOMALY_UNIT_MEDIAN_FACTOR * 100
    unit_median_min_people: int = standards.ANOMALY_UNIT_MEDIAN_MIN_PEOPLE
    estimate_percent: Decimal = standards.ANOMALY_ESTIMATE_FACTOR * 100
    estimate_min_excess_hours: Decimal = Decimal(standards.ANOMALY_ESTIMATE_MIN_EXCESS_MINUTES) / 60

    @property
    def any(self) -> bool:
        return bool(
            self.above_norm
            or self.above_unit_median
            or self.open_flags_count
            or self.above_estimate
            or self.missing_evidence_count
        )


def _by_unit_and_name(row: PersonMonth | PersonPeriod) -> tuple:
    return (row.unit.code, row.person.full_name, row.person.pk)


def above_norm(
    month_rows: Sequence[PersonMonth], period_rows: Sequence[PersonPeriod] = ()
) -> list[tuple[datetime.date | None, PersonMonth | PersonPeriod]]:
    """People averaging above 8 standard hours a working day: over the period if it is above, otherwise
    each month that is (a person is listed once for a quarter, never again for its months)."""
    threshold = standards.ANOMALY_HOURS_A_DAY
    found: list[tuple[datetime.date | None, PersonMonth | PersonPeriod]] = [
        (None, p) for p in sorted(period_rows, key=_by_unit_and_name) if p.hours_per_day > threshold
    ]
    listed = {p.person.pk for _month, p in found}
    found += [
        (r.month, r)
        for r in sorted(month_rows, key=lambda r: (r.month, *_by_unit_and_name(r)))
        if r.person_id not in listed and r.hours_per_day > threshold
    ]
    return found


def above_unit_median(rows: Sequence[PersonMonth | PersonPeriod]) -> list[UnitOutlier]:
    """People above ``ANOMALY_UNIT_MEDIAN_FACTOR`` × the median hours a day of their unit's headcount,
    in units of at least ``ANOMALY_UNIT_MEDIAN_MIN_PEOPLE`` people (``rows``: one per person)."""
    by_unit: dict[int, list[PersonMonth | PersonPeriod]] = {}
    for row in rows:
        if row.in_headcount:
            by_unit.setdefault(row.unit.pk, []).append(row)
    found = []
    for members in by_unit.values():
        if len(members) < standards.ANOMALY_UNIT_MEDIAN_MIN_PEOPLE:
            continue
        median = Decimal(statistics.median(r.hours_per_day for r in members))
        if median <= 0:
            continue
        limit = median * standards.ANOMALY_UNIT_MEDIAN_FACTOR
        found += [UnitOutlier(row=r, median=median) for r in members if r.hours_per_day > limit]
    return sorted(found, key=lambda o: _by_unit_and_name(o.row))


def above_estimate(
    agency: Agency,
    start: datetime.date,
    end: datetime.date,
    rows: Sequence[PersonMonth | PersonPeriod],
) -> list[EstimateExcess]:
    """People whose approved standard minutes are above ``ANOMALY_ESTIMATE_FACTOR`` × their own estimate
    of the same entries (approved entries carrying an estimate) and at least
    ``ANOMALY_ESTIMATE_MIN_EXCESS_MINUTES`` above it.

    The figures sum the estimates of every approved entry (one without an estimate adds 0) and the
    standard minutes of every approved entry, so only a person whose figures pass both tests can pass
    them on the entries with an estimate: one query over those candidates' entries, none without any
    (reading the agency's whole period from the diary would cost the report what its figures saved).
    """
    candidates = [
        row.person.pk
        for row in rows
        if row.estimate_minutes
        and row.approved_minutes > row.estimate_minutes * standards.ANOMALY_ESTIMATE_FACTOR
        and row.approved_minutes - row.estimate_minutes >= standards.ANOMALY_ESTIMATE_MIN_EXCESS_MINUTES
    ]
    if not candidates:
        return []
    sums = (
        DiaryEntry.objects.filter(
            agency=agency,
            person_id__in=candidates,
            date__range=(start, end),
            status=EntryStatus.APPROVED,
            estimate_minutes__isnull=False,
        )
        .values("person_id")
        .annotate(approved=Sum("standard_minutes"), estimate=Sum("estimate_minutes"))
        .order_by()
    )
    found = {
        s["person_id"]: (Decimal(s["approved"]), int(s["estimate"]))
        for s in sums
        if s["estimate"]
        and s["approved"] > s["estimate"] * standards.ANOMALY_ESTIMATE_FACTOR
        and s["approved"] - s["estimate"] >= standards.ANOMALY_ESTIMATE_MIN_EXCESS_MINUTES
    }
    if not found:
        return []
    known = {row.person.pk: row for row in rows}
    listed = [
        EstimateExcess(
            person=known[pk].person, unit=known[pk].unit, approved_minutes=approved, estimate_minutes=estimate
        )
        for pk, (approved, estimate) in found.items()
    ]
    return sorted(listed, key=lambda e: (e.unit.code, e.person.full_name, e.person.pk))


def anomalies(
    agency: Agency,
    start: datetime.date,
    end: datetime.date,
    month_rows: Sequence[PersonMonth],
    period_rows: Sequence[PersonPeriod] = (),
) -> Anomalies:
    """The anomalies of a month (``month_rows``) or a quarter (``period_rows`` and their months).

    The thresholds are ``kpi_portal.standards``': averages above the 8-hour norm, people far above their
    unit's median, entries with an open evidence flag, approved hours far above the person's own
    estimate, and submitted or approved entries lacking evidence.
    """
    people: Sequence[PersonMonth | PersonPeriod] = period_rows or month_rows
    flags = (
        EntryFlag.objects.open()
        .filter(entry__agency=agency, entry__date__range=(start, end))
        .select_related("entry__person", "entry__unit", "entry__task")
        .order_by("entry__date", "entry__person__full_name", "entry__pk", "kind")
    )
    missing = (
        DiaryEntry.objects.filter(standards.missing_evidence_q(), agency=agency, date__range=(start, end))
        .select_related("person", "unit", "task")
        .order_by("date", "person__full_name", "pk")
    )
    listed_flags = list(flags[:ANOMALIES_LISTED])
    return Anomalies(
        above_norm=above_norm(month_rows, period_rows),
        above_unit_median=above_unit_median(people),
        open_flags=listed_flags,
        # Counted by the figures (a flag that changes has its person's month computed again first): no
        # count over the agency's whole period.
        open_flags_count=max(sum(r.open_flags for r in month_rows), len(listed_flags)),
        above_estimate=above_estimate(agency, start, end, people),
        missing_evidence=list(missing[:ANOMALIES_LISTED]),
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


# The administrative document's form ----------------------------------------------------------------
# Decree 30/2020/NĐ-CP, Appendix I: the issuing authority under its parent authority, the number and
# symbol, the national header and motto, the place and date, the recipients and the signer. The fixed
# formulas (national header, motto, "Số", the date) are Vietnamese in every language of the report.

PROVINCE_PREFIXES = ("tỉnh ", "thành phố ")
REPORT_SYMBOL = "BC"  # Báo cáo (Decree 30/2020/NĐ-CP, Appendix III)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip())


@dataclass(frozen=True)
class Issuer:
    """Who issues a report, as the top left of the document writes it."""

    authority: str  # the parent authority, in capitals: "UBND TỈNH KHÁNH HÒA"
    name: str  # the agency without its province, in capitals: "SỞ TÀI CHÍNH"
    code: str  # the agency's code, the end of the document's symbol: "BC-STC"
    place: str  # the province's place name before the date: "Khánh Hòa"


def issuer(agency: Agency) -> Issuer:
    """The issuing authority from the organisation tree: the province's People's Committee, the agency."""
    province = _nfc(agency.province.name)
    place = province
    for prefix in PROVINCE_PREFIXES:
        if province.lower().startswith(prefix):
            place = province[len(prefix) :].strip()
            break
    name = _nfc(agency.name)
    for suffix in (province, place):  # "Sở Tài chính tỉnh Khánh Hòa" → "Sở Tài chính"
        if len(name) > len(suffix) + 1 and name.lower().endswith(" " + suffix.lower()):
            name = name[: -len(suffix)].strip()
            break
    return Issuer(authority=f"UBND {province}".upper(), name=name.upper(), code=agency.code, place=place)


def official_date(day: datetime.date) -> str:
    """ "ngày 07 tháng 12 năm 2026": a day below 10 and the months 1 and 2 take a leading zero (Decree 30)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def initials(full_name: str) -> str:
    """ "Nguyễn Thị Ánh Tuyết" → "NTAT": the drafter's initials of the "Lưu" line, without diacritics."""
    letters = [word[0] for word in full_name.split() if word]
    plain = unicodedata.normalize("NFKD", "".join(letters).replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in plain if c.isascii() and c.isalpha()).upper()


def signer_title(agency: Agency, head: User | None) -> str:
    """The title over the head's signature, in capitals: the head's position without the agency's kind
    ("Giám đốc Sở" of "Sở Tài chính" signs "GIÁM ĐỐC"); "Head of the agency" when it is not known."""
    position = _nfc(head.position) if head is not None else ""
    kind = _nfc(agency.name).split(" ", 1)[0].lower()
    words = position.split()
    if len(words) > 1 and words[-1].lower() == kind:
        words = words[:-1]
    return (" ".join(words) or _("Head of the agency")).upper()


def recipients(agency: Agency, prepared_by: User | None, on: datetime.date) -> list[str]:
    """ "Nơi nhận" of an agency report: the Department of Home Affairs (unless it is the agency itself),
    the agency's leadership, and the copy kept by the records office (VT), the drafting unit and the
    drafter's initials."""
    found = [] if "NỘI VỤ" in issuer(agency).name else [_("Department of Home Affairs")]
    found.append(_("Leadership of the agency"))
    kept = ["VT"]
    if prepared_by is not None:
        membership = (
            Membership.objects.active_on(on)
            .filter(person=prepared_by, unit__agency=agency)
            .select_related("unit")
            .first()
        )
        if membership is not None:
            kept.append(membership.unit.code)
        if prepared_by.full_name:
            kept.append(initials(prepared_by.full_name))
    found.append(_("Filed: %(places)s") % {"places": ", ".join(kept)})
    return found


def official(agency: Agency, on: datetime.date, prepared_by: User | None) -> dict:
    """The parts of an agency report's form: issuer, recipients, the head's title and name."""
    head = agency_head(agency, on)
    return {
        "issuer": issuer(agency),
        "symbol": REPORT_SYMBOL,
        "recipients": recipients(agency, prepared_by, on),
        "head": head,
        "signer_title": signer_title(agency, head),
    }


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

    printed_on = timezone.localdate()
    context = {
        **context,
        "fonts": fonts(),
        "printed_on": printed_on,
        "official_date": official_date(printed_on),
    }
    # The charts carry no style of their own (reports/charts.py); WeasyPrint reads a chart's styles
    # from the SVG itself only.
    html = charts.for_print(render_to_string(template, context))
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
        "subject": _("Work measured by the diaries in quarter %(quarter)s/%(year)s")
        % {"quarter": ROMAN_QUARTERS[periods.quarter_of(first_month) - 1], "year": first_month.year},
        "prepared_by": prepared_by,
        **official(agency, end, prepared_by),
        **fairness.pdf_context(agency, months),
        "provisional": open_months(agency, months),
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
        "subject": _("Work measured by the diaries in %(month)s")
        % {"month": date_format(month, "YEAR_MONTH_FORMAT")},
        "prepared_by": prepared_by,
        "provisional": open_months(agency, [month]),
        **official(agency, end, prepared_by),
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
    # Hours a day divide by the days actually worked: the working days minus the person's leave.
    on_leave = leave_days([person.pk], start, end).get(person.pk, set()) & working_set
    worked = len(working) - len(on_leave)
    hours_per_day = standards.hours_per_day(approved, worked)
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
        "issuer": issuer(agency),
        "person": person,
        "unit": evaluation.unit if evaluation else (membership.unit if membership else None),
        "month": month,
        "title": _("Monthly sheet %(month)s — %(person)s")
        % {"month": date_format(month, "YEAR_MONTH_FORMAT"), "person": person.full_name},
        "working_days": worked,
        "leave_days": len(on_leave),
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


def annual_pdf(agency: Agency, year: int, progress: Progress | None = None, *, prepared_by=None) -> bytes:
    """The agency's annual ratings of ``year`` (Decree 335/2025 Article 21), per group of similar posts:
    the final months counted, their average, the proposal and the leader's decision, appeals."""
    from evaluation import annual

    progress = progress or _silent
    progress(10, _("Reading the annual ratings"))
    ratings = list(annual.agency_ratings(agency, year))
    groups: dict[str, list] = {}
    for rating in ratings:
        groups.setdefault(rating.group, []).append(rating)
    quotas = {q.group: q for q in annual.quotas(agency, year)}
    end = min(datetime.date(year, 12, 31), org_selectors.today())
    context = {
        "agency": agency,
        "year": year,
        "title": _("Annual ratings %(year)s — %(agency)s") % {"year": year, "agency": agency.name},
        "subject": _("Rating of the civil servants' quality in %(year)s") % {"year": year},
        "groups": [
            (annual.group_label(key), quotas.get(key), rows)
            for key, rows in sorted(groups.items(), key=lambda item: (item[0] != annual.LEADERS, item[0]))
        ],
        "decided": sum(1 for r in ratings if r.is_decided),
        "total": len(ratings),
        "deadline": annual.deadline(agency, year),
        "prepared_by": prepared_by,
        **official(agency, end, prepared_by),
    }
    return render("reports/pdf/annual.html", context, progress, 40)
