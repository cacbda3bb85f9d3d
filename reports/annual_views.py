"""The annual ratings' PDF (Decree 335/2025 Article 21), rendered while the reader waits: one page or
two per agency, seconds to lay out (the list itself is ``evaluation.views.annual``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from evaluation import annual_rules  # noqa: F401  (registers the permission checked here)
from kpi_portal.access import check_perm
from org import selectors as org_selectors
from org.models import Agency

from . import pdf


@login_required
def annual_pdf(request, code: str, year: int):
    agency = get_object_or_404(Agency, code=code)
    check_perm(request.user, "evaluation.view_annual_ratings", agency, scope="org.view_agency")
    if not 2000 <= year <= org_selectors.today().year:
        raise Http404
    content = pdf.annual_pdf(agency, year, prepared_by=request.user)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{agency.code}-xep-loai-{year}.pdf"'
    return response
