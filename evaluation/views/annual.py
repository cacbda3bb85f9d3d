"""Pages of the annual rating: HR's and the leader's list of an agency's year (filters, export, deciding
as proposed), the reviewer's people to propose, and one person's year (propose, decide, appeal).

Thin: access check (``evaluation.annual_rules``), form, service, redirect or render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kpi_portal.access import check_perm, check_scope
from kpi_portal.forms import add_service_errors
from kpi_portal.spreadsheets import to_csv, to_xlsx
from org import selectors as org_selectors
from org.models import Agency, Unit

from .. import annual
from ..annual_forms import AnnualFilterForm, AppealDecisionForm, AppealForm, DecideForm, ProposeForm
from ..models import AnnualAppeal, AnnualRating, AppealStatus
from ..services import annual as services

# An agency's year on one page as a rule (Khánh Hòa's Department of Finance: 84 people).
PAGE_SIZE = 100


def _get_agency(request, code: str, perm: str) -> Agency:
    """The agency: 404 to those outside it, 403 to those of it without ``perm``."""
    agency = get_object_or_404(Agency, code=code)
    check_perm(request.user, perm, agency, scope="org.view_agency")
    return agency


def _year(request) -> int:
    """The year asked for; by default (or when the one asked for is not a year to show) the one HR
    works on now (``annual.default_year``: last year in January)."""
    today = org_selectors.today()
    default = annual.default_year(today)
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or default)
    except ValueError:
        return default
    return year if 2000 <= year <= today.year else default


def pdf_url(agency: Agency, year: int) -> str:
    """The annual PDF's address (the reports app serves it), or "" while it is not routed."""
    try:
        return reverse("annual_reports:pdf", args=[agency.code, year])
    except NoReverseMatch:
        return ""


def _filtered(request, agency: Agency, year: int):
    units = Unit.objects.filter(agency=agency).order_by("code")
    groups = [(g, annual.group_label(g)) for g in sorted({q.group for q in annual.quotas(agency, year)})]
    form = AnnualFilterForm(request.GET or None, units=units, groups=groups)
    ratings = annual.agency_ratings(agency, year)
    if form.is_valid():
        data = form.cleaned_data
        if data["unit"]:
            ratings = ratings.filter(unit=data["unit"])
        if data["group"]:
            ratings = ratings.filter(group=data["group"])
        if data["status"]:
            ratings = ratings.filter(status=data["status"])
        if data["rating"]:
            ratings = ratings.filter(decided_rating=data["rating"]) | ratings.filter(
                decided_rating="", proposed_rating=data["rating"]
            )
    return form, ratings


@login_required
@require_http_methods(["GET", "POST"])
def annual_list(request, code: str):
    agency = _get_agency(request, code, "evaluation.view_annual_ratings")
    year = _year(request)
    if request.method == "POST":
        check_perm(request.user, "evaluation.decide_annuals", agency)
        try:
            chosen = {
                int(pk): int(request.POST.get(f"version-{pk}", "")) for pk in request.POST.getlist("annual")
            }
        except ValueError:
            messages.error(request, _("The form was incomplete. Reload the page and try again."))
        else:
            try:
                count = services.annuals_decide(ratings=chosen, by=request.user)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("%(count)s annual ratings are decided.") % {"count": count})
        # Back to the same filters: the ratings still to decide stay in view.
        kept = {k: v for k, v in request.GET.items() if k not in ("page", "year") and v}
        return redirect(
            f"{reverse('evaluation:annual_list', args=[agency.code])}?{urlencode({'year': year, **kept})}"
        )
    form, ratings = _filtered(request, agency, year)
    page = Paginator(ratings, PAGE_SIZE).get_page(request.GET.get("page"))
    kept = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "evaluation/annual_list.html",
        {
            "agency": agency,
            "year": year,
            "years": sorted(set(annual.years_of(agency)) | {year}, reverse=True),
            "form": form,
            "page": page,
            "querystring": urlencode(kept),
            "quotas": [(q, annual.group_label(q.group)) for q in annual.quotas(agency, year)],
            "deadline": annual.deadline(agency, year),
            "pdf_url": pdf_url(agency, year),
            "can_decide": request.user.has_perm("evaluation.decide_annuals", agency),
        },
    )


def export_headers() -> list[str]:
    return [
        _("Unit"),
        _("Full name"),
        _("Username"),
        _("Group of similar posts"),
        _("Final months counted"),
        _("Average of the final months"),
        _("Rating of the average"),
        _("Proposed rating"),
        _("Decided rating"),
        _("Status"),
        _("Reason for the decision"),
        _("Appeal"),
    ]


def export_rows(ratings) -> list[list[object]]:
    rows = []
    for r in ratings:
        appeal = getattr(r, "appeal", None)  # None when there is no appeal
        rows.append(
            [
                r.unit.code,
                r.person.full_name,
                r.person.username,
                r.group_label,
                r.months_counted,
                r.average_score,
                r.get_suggested_rating_display(),
                r.get_proposed_rating_display(),
                r.get_decided_rating_label(),
                r.get_status_display(),
                r.decision_reason,
                appeal.get_status_display() if appeal else "",
            ]
        )
    return rows


@login_required
def annual_export(request, code: str, fmt: str):
    agency = _get_agency(request, code, "evaluation.view_annual_ratings")
    if fmt not in ("csv", "xlsx"):
        raise Http404
    year = _year(request)
    _form, ratings = _filtered(request, agency, year)
    rows = export_rows(ratings)
    if fmt == "xlsx":
        content = to_xlsx(export_headers(), rows, title=f"{agency.code} {year}")
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = to_csv(export_headers(), rows)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{agency.code}-xep-loai-{year}.{fmt}"'
    return response


@login_required
def annual_mine(request):
    """The person's own annual ratings, and the people a reviewer proposes for."""
    year = _year(request)
    own = AnnualRating.objects.filter(person=request.user).select_related("appeal").order_by("-year")
    to_propose = []
    if request.user.has_perm("evaluation.score_evaluations"):
        to_propose = annual.people_to_propose(request.user, year)
    return render(
        request,
        "evaluation/annual_mine.html",
        {
            "own": own,
            "own_figures": annual.year_figures(request.user, year),
            "year": year,
            "to_propose": to_propose,
            "read_agencies": org_selectors.read_agencies(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def annual_person(request, person_id: int, year: int):
    """The reviewer proposes a person's rating of a year (and sees the year's figures)."""
    person = get_object_or_404(org_selectors.visible_people(request.user), pk=person_id)
    if not 2000 <= year <= org_selectors.today().year:
        raise Http404
    existing = AnnualRating.objects.filter(person=person, year=year).select_related("agency").first()
    membership = org_selectors.membership_on(person, annual.reference_day(year))
    if existing is not None:
        proposed = existing
    elif membership is not None:
        proposed = AnnualRating(person=person, year=year, agency=membership.unit.agency)
    else:
        raise Http404
    check_perm(request.user, "evaluation.propose_annual", proposed)
    figures = annual.year_figures(person, year)
    initial = {
        "rating": existing.proposed_rating if existing else (figures.suggested or ""),
        "comment": existing.proposal_comment if existing else "",
        "version": existing.version if existing else "",
    }
    form = ProposeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            annual_rating = services.annual_propose(
                person=person,
                year=year,
                by=request.user,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The annual rating is proposed to the agency leader."))
            return redirect("evaluation:annual_detail", annual_rating.pk)
    return render(
        request,
        "evaluation/annual_person.html",
        {
            "person": person,
            "year": year,
            "figures": figures,
            "existing": existing,
            "form": form,
            "deadline": annual.deadline(proposed.agency, year),
        },
    )


def _get_annual(request, pk: int) -> AnnualRating:
    annual_rating = get_object_or_404(
        AnnualRating.objects.select_related("person", "agency", "unit", "proposed_by", "decided_by"), pk=pk
    )
    check_scope(request.user, "evaluation.view_annual_rating", annual_rating)
    return annual_rating


@login_required
def annual_detail(request, pk: int):
    annual_rating = _get_annual(request, pk)
    appeal = AnnualAppeal.objects.filter(annual_rating=annual_rating).select_related("decided_by").first()
    user = request.user
    can_decide = not annual_rating.is_decided and user.has_perm("evaluation.decide_annual", annual_rating)
    can_appeal = (
        annual_rating.is_decided
        and appeal is None
        and user.has_perm("evaluation.appeal_annual", annual_rating)
    )
    can_decide_appeal = (
        appeal is not None
        and appeal.status == AppealStatus.PENDING
        and user.has_perm("evaluation.decide_annual", annual_rating)
    )
    return render(
        request,
        "evaluation/annual_detail.html",
        {
            "annual": annual_rating,
            "appeal": appeal,
            "appeal_deadline": services.appeal_deadline(annual_rating),
            "deadline": annual.deadline(annual_rating.agency, annual_rating.year),
            "can_decide": can_decide,
            "can_appeal": can_appeal,
            "can_decide_appeal": can_decide_appeal,
            "can_propose": not annual_rating.is_decided
            and user.has_perm("evaluation.propose_annual", annual_rating),
            "decide_form": DecideForm(
                initial={"rating": annual_rating.proposed_rating, "version": annual_rating.version}
            )
            if can_decide
            else None,
            "appeal_form": AppealForm() if can_appeal else None,
            "appeal_decision_form": AppealDecisionForm(
                initial={"rating": annual_rating.decided_rating, "version": appeal.version}
            )
            if can_decide_appeal and appeal is not None
            else None,
        },
    )


def _back(annual_rating: AnnualRating):
    return redirect("evaluation:annual_detail", annual_rating.pk)


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)


@login_required
@require_POST
def annual_decide(request, pk: int):
    annual_rating = _get_annual(request, pk)
    check_perm(request.user, "evaluation.decide_annual", annual_rating)
    form = DecideForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(annual_rating)
    try:
        services.annual_decide(
            annual_rating=annual_rating,
            by=request.user,
            rating=form.cleaned_data["rating"],
            reason=form.cleaned_data["reason"],
            version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The annual rating is decided."))
    return _back(annual_rating)


@login_required
@require_POST
def annual_appeal(request, pk: int):
    annual_rating = _get_annual(request, pk)
    check_perm(request.user, "evaluation.appeal_annual", annual_rating)
    form = AppealForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(annual_rating)
    try:
        services.annual_appeal_file(
            annual_rating=annual_rating, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Your appeal was sent to the agency leader."))
    return _back(annual_rating)


@login_required
@require_POST
def annual_appeal_decide(request, pk: int):
    annual_rating = _get_annual(request, pk)
    check_perm(request.user, "evaluation.decide_annual", annual_rating)
    appeal = get_object_or_404(AnnualAppeal, annual_rating=annual_rating)
    form = AppealDecisionForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(annual_rating)
    try:
        services.annual_appeal_decide(
            appeal=appeal,
            by=request.user,
            rating=form.cleaned_data["rating"],
            decision=form.cleaned_data["decision"],
            version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The appeal is decided."))
    return _back(annual_rating)
