"""The annual ratings' PDF (Decree 335/2025 Article 21), asked for by a POST from the annual list and
prepared in the background like the quarterly report (``jobs``): the list itself is
``evaluation.views.annual``. A GET renders and writes nothing."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluation import annual_rules  # noqa: F401  (registers the permission checked here)
from kpi_portal.access import check_perm
from org import selectors as org_selectors
from org.models import Agency

from . import jobs
from .models import ReportKind


@login_required
@require_POST
def annual_pdf(request, code: str, year: int):
    """Ask for the year's annual PDF; the job's page follows its progress and offers the download."""
    agency = get_object_or_404(Agency, code=code)
    check_perm(request.user, "evaluation.view_annual_ratings", agency, scope="org.view_agency")
    if not 2000 <= year <= org_selectors.today().year:
        raise Http404
    try:
        job = jobs.job_request(
            kind=ReportKind.ANNUAL, agency=agency, period=datetime.date(year, 1, 1), by=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(f"{reverse('evaluation:annual_list', args=[agency.code])}?year={year}")
    messages.success(
        request,
        _("%(report)s, %(period)s: being prepared. This page follows its progress.")
        % {"report": job.get_kind_display(), "period": job.period_label},
    )
    return redirect("reports:job_status", job.pk)
