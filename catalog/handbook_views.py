"""The KPI handbook of a catalog version: the page and its PDF."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from . import handbook
from .views import _get_agency, _manages, _shown_version


@login_required
def handbook_page(request, code: str):
    agency = _get_agency(request, code)
    version = _shown_version(request, agency)
    context = {"agency": agency, "version": version, "manages": _manages(request, agency)}
    if version is not None:
        context.update(handbook.handbook_context(agency, version))
    return render(request, "catalog/handbook.html", context)


@login_required
def handbook_pdf(request, code: str):
    agency = _get_agency(request, code)
    version = _shown_version(request, agency)
    if version is None:
        raise Http404
    response = HttpResponse(handbook.render_pdf(agency, version), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{handbook.pdf_filename(agency, version)}"'
    return response
