"""Pages of an agency's evaluations: the month for leaders and HR, the weights, disciplinary measures."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kpi_portal import periods
from kpi_portal.access import check_perm
from kpi_portal.forms import add_service_errors
from org import selectors as org_selectors
from org.models import Agency, AuditEvent

from .. import selectors, services
from ..forms import (
    MeasureForm,
    SchemeForm,
    parse_month,
)
from ..models import DisciplinaryMeasure
from .evaluations import this_month


def _get_agency(request, code: str, perm: str) -> Agency:
    """The agency: 404 to those outside it, 403 to those of it without ``perm``."""
    agency = get_object_or_404(Agency, code=code)
    check_perm(request.user, perm, agency, scope="org.view_agency")
    return agency


@login_required
@require_http_methods(["GET", "POST"])
def agency_month(request, code: str):
    agency = _get_agency(request, code, "evaluation.view_agency_evaluations")
    month = parse_month(request.GET.get("month"), default=this_month())
    month = min(month, this_month())
    if request.method == "POST":
        check_perm(request.user, "evaluation.finalise_month", agency)
        try:
            chosen = {
                int(pk): int(request.POST.get(f"version-{pk}", ""))
                for pk in request.POST.getlist("evaluation")
            }
        except ValueError:
            messages.error(request, _("The form was incomplete. Reload the page and try again."))
        else:
            try:
                count = services.evaluations_finalise(evaluations=chosen, by=request.user)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("%(count)s evaluations are final.") % {"count": count})
        return redirect(f"{reverse('evaluation:agency_month', args=[agency.code])}?month={month:%Y-%m}")
    evaluations = list(selectors.agency_evaluations(agency, month))
    counts: dict[str, int] = {}
    for evaluation in evaluations:
        if evaluation.is_final:
            counts[evaluation.rating] = counts.get(evaluation.rating, 0) + 1
    return render(
        request,
        "evaluation/agency_month.html",
        {
            "agency": agency,
            "month": month,
            "evaluations": evaluations,
            "quota": selectors.quota(agency, month),
            "counts": counts,
            "previous": periods.previous_month(month),
            "next": periods.next_month(month),
            "this_month": this_month(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def scheme_edit(request, code: str):
    agency = _get_agency(request, code, "evaluation.edit_scheme")
    scheme = selectors.scheme_of(agency)
    criteria_version = selectors.criteria_version_on(org_selectors.today())
    form = SchemeForm(
        request.POST or None,
        instance=scheme,
        criteria=list(criteria_version.criteria.all()),
        initial={"version": scheme.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.scheme_update(
                scheme=scheme,
                by=request.user,
                values={name: form.cleaned_data[name] for name in services.SCHEME_FIELDS},
                weights=form.weights(),
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The weights were saved."))
            return redirect(f"{reverse('evaluation:agency_month', args=[agency.code])}")
    history = AuditEvent.objects.filter(object_type="scoringscheme", object_id=scheme.pk).select_related(
        "actor"
    )
    return render(
        request,
        "evaluation/scheme_form.html",
        {"agency": agency, "form": form, "history": history, "criteria_version": criteria_version},
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure_new(request, person_id: int):
    person = get_object_or_404(org_selectors.visible_people(request.user), pk=person_id)
    proposed = DisciplinaryMeasure(person=person, decided_on=org_selectors.today())
    check_perm(request.user, "evaluation.record_measure", proposed)
    form = MeasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_record(person=person, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The disciplinary measure was recorded."))
            return redirect("org:person", person.pk)
    return render(request, "evaluation/measure_form.html", {"person": person, "form": form})
