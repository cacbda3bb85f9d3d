"""Dashboards (my month, my unit, the agency) and exports of the monthly figures."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kpi_portal import periods, standards
from kpi_portal.access import check_perm, check_scope
from kpi_portal.db_router import pin_primary, replica_reads
from kpi_portal.spreadsheets import to_csv, to_xlsx
from org import calendar
from org import selectors as org_selectors
from org.models import Agency, Unit
from worklog.models import DiaryEntry, EntryStatus

from . import charts, fairness, selectors, services
from .forms import DashboardFilterForm
from .models import MonthSent, PersonMonth

PEOPLE_PER_PAGE = 50


@login_required
def index(request):
    """Each user's natural dashboard: the agency for its readers, the unit for its head, else their month."""
    today = org_selectors.today()
    agencies = list(selectors.readable_agencies(request.user)[:1])
    if agencies:
        own = org_selectors.membership_on(request.user, today)
        agency = (
            own.unit.agency
            if own and request.user.has_perm("reports.view_agency_figures", own.unit.agency)
            else agencies[0]
        )
        return redirect("reports:agency", agency.code)
    unit = selectors.headed_units(request.user, today).first()
    if unit is not None:
        return redirect("reports:unit", unit.pk)
    return redirect("reports:me")


def _month_param(request, months: list[datetime.date]) -> datetime.date | None:
    """The month asked for (``YYYY-MM``) among those computed; the newest when absent or unknown."""
    try:
        asked = periods.parse_month(request.GET.get("month", ""))
    except ValueError:
        asked = None
    if asked in months:
        return asked
    return months[0] if months else None


@login_required
def my_month(request):
    """The person's own figures: stored months, and the current month computed on the spot."""
    today = org_selectors.today()
    membership = org_selectors.membership_on(request.user, today)
    history = selectors.person_history(request.user)
    current = periods.month_start(today)
    if membership is not None and not any(r.month == current for r in history):
        # Only the person's own diary, never the whole agency's (the same figures: a test compares).
        history += services.person_months(membership.unit.agency, current, people={request.user.pk})
    months = sorted({r.month for r in history}, reverse=True)
    month = _month_param(request, months)
    row = next((r for r in history if r.month == month), None)
    points = []
    if row is not None:
        start, end = periods.month_bounds(row.month.year, row.month.month)
        minutes = dict(
            DiaryEntry.objects.filter(
                person=request.user,
                agency=row.agency_id,
                status=EntryStatus.APPROVED,
                date__range=(start, end),
            )
            .values_list("date")
            .annotate(total=Sum("standard_minutes"))
        )
        points = [
            (date_format(day, "d/m"), Decimal(minutes.get(day, 0)) / 60)
            for day in calendar.working_days(row.agency, start, min(end, today))
        ]
    return render(
        request,
        "reports/my_month.html",
        {
            "row": row,
            "month": month,
            "months": months,
            "history": history,
            "is_live": month == current,
            # Figures computed on the spot (the month still going, never stored) are never behind.
            "updating": row is not None and row.pk is not None and selectors.being_updated(row.agency, month),
            "provisional": row is not None and selectors.provisional(row.agency, month),
            "trend_chart": charts.person_trend(history) if history else "",
            "days_chart": charts.days(points) if points else "",
            **_tabs(request),
        },
    )


@login_required
@replica_reads
def unit_dashboard(request, pk: int):
    unit = get_object_or_404(Unit.objects.select_related("agency"), pk=pk)
    check_scope(request.user, "org.view_agency", unit.agency)
    check_perm(request.user, "reports.view_unit_figures", unit)
    months = selectors.computed_months(unit.agency)
    month = _month_param(request, months)
    rollup = None
    people = []
    if month is not None:
        rollup = next(
            (r for r in selectors.agency_rollups(unit.agency, month)[1] if r.unit_id == unit.pk), None
        )
        people = list(selectors.people(unit.agency, month, unit=unit))
    history = selectors.trend(unit.agency, unit=unit, until=month)
    return render(
        request,
        "reports/unit.html",
        {
            "unit": unit,
            "month": month,
            "months": months,
            "rollup": rollup,
            "people": people,
            "updating": selectors.being_updated(unit.agency, month),
            "provisional": selectors.provisional(unit.agency, month),
            "charts": _charts(rollup, history, [rollup] if rollup else []),
            **_tabs(request),
        },
    )


def _charts(rollup, history, units) -> dict:
    if rollup is None:
        return {}
    return {
        "distribution": charts.hours_distribution(rollup),
        "ratings": charts.ratings(rollup),
        "trend": charts.trend(history),
        "staffing": charts.staffing(units),
    }


def _agency_for_reader(request, code: str) -> Agency:
    agency = get_object_or_404(Agency, code=code)
    check_perm(request.user, "reports.view_agency_figures", agency, scope="org.view_agency")
    return agency


def _tabs(request) -> dict:
    today = org_selectors.today()
    return {
        "tab_agencies": selectors.readable_agencies(request.user),
        "tab_units": selectors.headed_units(request.user, today),
    }


def _agency_filters(request, agency: Agency):
    months = selectors.computed_months(agency)
    form = DashboardFilterForm(request.GET or None, months=months, units=Unit.objects.filter(agency=agency))
    month = months[0] if months else None
    unit = None
    if form.is_valid():
        month = form.cleaned_data["month"] or month
        unit = form.cleaned_data["unit"]
    return form, month, unit


@login_required
@replica_reads
def agency_dashboard(request, code: str):
    agency = _agency_for_reader(request, code)
    form, month, unit = _agency_filters(request, agency)
    whole, units = selectors.agency_rollups(agency, month) if month else (None, [])
    rollup = whole
    if unit is not None:
        rollup = next((r for r in units if r.unit_id == unit.pk), None)
    people = selectors.people(agency, month, unit=unit) if month else PersonMonth.objects.none()
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    history = selectors.trend(agency, unit=unit, until=month)
    return render(
        request,
        "reports/agency.html",
        {
            "agency": agency,
            "form": form,
            "month": month,
            "unit": unit,
            "rollup": rollup,
            "units": units,
            "page": page,
            "querystring": querystring.urlencode(),
            "updating": selectors.being_updated(agency, month),
            "provisional": selectors.provisional(agency, month),
            "sent": MonthSent.objects.filter(agency=agency, month=month).select_related("sent_by").first()
            if month
            else None,
            "due": standards.monthly_report_due(month) if month else None,
            "can_mark_sent": request.user.has_perm("reports.mark_month_sent", agency),
            "charts": _charts(rollup, history, units),
            **_tabs(request),
        },
    )


@login_required
@require_POST
def mark_sent(request, code: str):
    """HR marks the month's results as sent to the Department of Home Affairs."""
    agency = _agency_for_reader(request, code)
    check_perm(request.user, "reports.mark_month_sent", agency)
    try:
        month = periods.parse_month(request.POST.get("month", ""))
    except ValueError:
        messages.error(request, _("Choose a month."))
        return redirect("reports:agency", agency.code)
    try:
        services.month_mark_sent(agency=agency, month=month, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        # The dashboard it redirects to shows the mark at once, not when the replica has it.
        pin_primary(request)
        messages.success(
            request,
            _("%(month)s marked as sent to the Department of Home Affairs.") % {"month": f"{month:%m/%Y}"},
        )
    return redirect(f"{reverse('reports:agency', args=[agency.code])}?month={periods.month_value(month)}")


@login_required
@replica_reads
def agency_fairness(request, code: str):
    """How the month's ratings spread per unit and per reviewer, before the leader finalises them.

    The same readers as the agency dashboard (leaders, HR, administrators, province scope): its staff
    get a 403 and other agencies a 404. An unknown or malformed ``month`` falls back to the newest
    month with scores, and the page says so.
    """
    agency = _agency_for_reader(request, code)
    months, month = fairness.months_to_choose(agency)
    form = DashboardFilterForm(request.GET or None, months=months, units=Unit.objects.none())
    # Only the month counts: an unknown one is refused (and said so), whatever else the query holds.
    refused = "month" in form.errors
    asked = form.cleaned_data.get("month") if form.is_bound else None
    if asked:
        month = asked
    else:
        # The picker shows the month the page shows (not the newest one computed, nor a refused value).
        initial = {"month": periods.month_value(month)} if month else {}
        form = DashboardFilterForm(initial=initial, months=months, units=Unit.objects.none())
    data = fairness.fairness(agency, [month]) if month else None
    return render(
        request,
        "reports/fairness.html",
        {
            "agency": agency,
            "form": form,
            "month": month,
            "months": months,
            "month_refused": refused,
            "fairness": data,
            "charts": fairness.fairness_charts(data) if data else {},
            "updating": selectors.being_updated(agency, month),
            "provisional": selectors.provisional(agency, month),
            "standards": {
                "min_scored": standards.FAIRNESS_MIN_SCORED,
                "general_gap": standards.FAIRNESS_GENERAL_GAP_POINTS,
                "share_gap": standards.FAIRNESS_EXCELLENT_SHARE_GAP_PERCENT,
            },
            **_tabs(request),
        },
    )


def export_headers() -> list[str]:
    return [
        _("Unit"),
        _("Full name"),
        _("Username"),
        _("Days worked (working days less leave)"),
        _("Days with entries"),
        _("Approved standard hours"),
        _("Standard hours a day"),
        _("Share of 8 hours (percent)"),
        _("Own estimate, hours a day"),
        _("Waiting for review"),
        _("Returned"),
        _("Days above 8 hours"),
        _("Entries without evidence"),
        _("Open evidence flags"),
        _("Score"),
        _("Rating"),
    ]


def export_rows(rows) -> list[list[object]]:
    """The people's figures with the digits the pages show (``_people_table.html``), rounded half up.

    Each column keeps the page's number of decimals, so a figure never reads differently in the
    spreadsheet than on the page (8,385 hours a day is 8,39 in both).
    """

    def number(value: Decimal, places: int = standards.DISPLAY_PLACES) -> Decimal:
        # A Decimal keeps its decimals: "8.10" in the CSV, a 0.00 number format in the XLSX.
        return standards.rounded(value, places)

    return [
        [
            r.unit.code,
            r.person.full_name,
            r.person.username,
            r.working_days,
            r.days_with_entries,
            number(r.approved_hours, 1),
            number(r.hours_per_day),
            number(r.share_of_eight, 0),
            number(r.estimate_hours_per_day),
            r.pending_count,
            r.returned_count,
            r.days_over_eight,
            r.missing_evidence,
            r.open_flags,
            number(r.score) if r.score is not None else "",
            r.get_rating_display(),
        ]
        for r in rows
    ]


@login_required
@replica_reads
def export(request, code: str, fmt: str):
    """The people's figures with the dashboard's filters, as CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    agency = _agency_for_reader(request, code)
    _form, month, unit = _agency_filters(request, agency)
    if month is None:
        raise Http404
    rows = export_rows(selectors.people(agency, month, unit=unit))
    name = f"so-lieu-{agency.code}-{periods.month_value(month)}" + (f"-{unit.code}" if unit else "")
    if fmt == "xlsx":
        content = to_xlsx(export_headers(), rows, title=f"{agency.code} {month:%m-%Y}")
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = to_csv(export_headers(), rows)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
