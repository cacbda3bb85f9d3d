"""Norm calibration pages: the stages whose own estimates disagree with their norm, and accepting a
proposal into the catalog's draft (docs/norm-calibration.md).

Only the agency's catalog managers (``catalog.manage_catalog``): others of the agency get a 403 and
outsiders a 404, as on the catalog's own management pages.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from catalog import services as catalog_services
from kpi_portal.access import check_perm
from org import selectors as org_selectors
from org.models import Agency

from . import calibration, charts
from .calibration_forms import CalibrationForm, period_of, period_query

STAGES_PER_PAGE = 50


def _agency(request, code: str) -> Agency:
    agency = get_object_or_404(Agency, code=code)
    check_perm(request.user, "catalog.manage_catalog", agency, scope="catalog.view_catalog")
    return agency


def _context(agency: Agency, form: CalibrationForm, period: calibration.Period | None) -> dict:
    return {
        "agency": agency,
        "form": form,
        "period": period,
        "period_query": urlencode(period_query(period)) if period else "",
        "threshold": calibration.THRESHOLD_SHARE * 100,
        "min_products": calibration.MIN_PRODUCTS,
        "min_people": calibration.MIN_PEOPLE,
    }


def _figures(agency: Agency, period: calibration.Period, today, **kwargs) -> list[calibration.StageFigures]:
    try:
        return calibration.stage_figures(agency, period, today=today, **kwargs)
    except calibration.TooManyEntries:
        raise ValidationError(
            _("The period holds too many entries to compute here: choose a shorter one.")
        ) from None


@login_required
def calibration_page(request, code: str):
    """Per stage, the median own estimate per unit against the norm; the proposals first."""
    agency = _agency(request, code)
    today = org_selectors.today()
    form = CalibrationForm(request.GET or None, today=today)
    period = period_of(form)
    context = _context(agency, form, period)
    if period is not None:
        try:
            figures = _figures(agency, period, today)
        except ValidationError as error:
            context["problems"] = error.messages
            figures = []
        search = form.cleaned_data.get("q", "").strip().casefold() if form.is_bound else ""
        if search:
            figures = [
                f
                for f in figures
                if search in f.task_code.casefold()
                or search in f.task_name.casefold()
                or search in f.stage_name.casefold()
            ]
        proposals, others = calibration.split(figures)
        kept = {key: value for key, value in request.GET.items() if key != "page"}
        context |= {
            "proposals": proposals,
            "page": Paginator(others, STAGES_PER_PAGE).get_page(request.GET.get("page")),
            "querystring": urlencode(kept),
            "stage_count": len(figures),
        }
    return render(request, "reports/calibration.html", context)


def _stage(
    agency: Agency, task_code: str, order: int, form: CalibrationForm
) -> tuple[calibration.Period | None, calibration.StageFigures | None]:
    today = org_selectors.today()
    period = period_of(form)
    if period is None:
        return None, None
    figures = _figures(agency, period, today, stage=(task_code, order))
    return period, figures[0] if figures else None


def _errors(form: CalibrationForm) -> str:
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


@login_required
def calibration_stage(request, code: str, task_code: str, order: int):
    """One stage: its figures and the distribution of its per-unit estimates against the norm."""
    agency = _agency(request, code)
    form = CalibrationForm(request.GET or None, today=org_selectors.today())
    problems: list[str] = []
    try:
        period, item = _stage(agency, task_code, order, form)
    except ValidationError as error:
        problems, period, item = error.messages, None, None
    context = _context(agency, form, period) | {
        "item": item,
        "task_code": task_code,
        "order": order,
        "problems": problems,
    }
    if item is not None and period is not None:
        values = calibration.per_unit_values(agency, period, item.key)
        context["chart"] = charts.calibration_distribution(values, norm=item.norm, median=item.median)
    return render(request, "reports/calibration_stage.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def calibration_accept(request, code: str, task_code: str, order: int):
    """Put a proposal's norm into the draft: GET asks for confirmation, POST does it.

    The figures are computed again on the POST (nothing posted but the stage and the period is
    trusted): a stage that is no longer a proposal over the period is refused and nothing changes.
    """
    agency = _agency(request, code)
    data = request.POST if request.method == "POST" else request.GET
    form = CalibrationForm(data, today=org_selectors.today())
    back = reverse("reports:calibration", args=[agency.code])
    try:
        period, item = _stage(agency, task_code, order, form)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    if period is None:
        messages.error(request, _errors(form))
        return redirect(back)
    back = f"{back}?{urlencode(period_query(period))}"
    if item is None or not item.is_proposal:
        messages.error(
            request,
            _("Stage %(order)s of %(code)s is not proposed for a new norm over %(period)s: nothing changed.")
            % {"order": order, "code": task_code, "period": period.label},
        )
        return redirect(back)
    reason = calibration.reason(item, period)
    if request.method != "POST":
        return render(
            request,
            "reports/calibration_confirm.html",
            _context(agency, form, period) | {"item": item, "reason": reason},
        )
    if item.accepted:
        messages.info(
            request,
            _("The draft already sets %(norm)s minutes for stage %(order)s of %(code)s.")
            % {"norm": item.proposed_norm, "order": order, "code": task_code},
        )
        return redirect(back)
    try:
        catalog_services.stage_norm_set(
            agency=agency,
            task_code=task_code,
            order=order,
            norm_minutes=item.proposed_norm,
            reason=reason,
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(
        request,
        _(
            "The draft now sets %(new)s minutes for stage %(order)s of %(code)s (in force: %(old)s). "
            "It applies once the draft is published."
        )
        % {"new": item.proposed_norm, "order": order, "code": task_code, "old": item.norm},
    )
    return redirect(back)
