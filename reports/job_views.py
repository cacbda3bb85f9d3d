"""The PDF reports page: ask for a report, follow its progress, download it through a checked view."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kpi_portal import periods
from kpi_portal.access import check_perm
from kpi_portal.db_router import use_replica
from kpi_portal.forms import add_service_errors
from org import selectors as org_selectors
from org.models import Agency, User

from . import jobs, selectors
from .models import JobStatus, ReportJob, ReportKind, quarter_label

JOBS_PER_PAGE = 20
QUARTERS_OFFERED = 8


def _quarters(today: datetime.date) -> list[tuple[str, str]]:
    """The begun quarters, newest first: ``("2026-Q3", "Quarter III/2026")``."""
    first = periods.quarter_start(today)
    quarters = [periods.add_months(first, -periods.MONTHS_A_QUARTER * i) for i in range(QUARTERS_OFFERED)]
    return [(periods.quarter_value(q), quarter_label(q)) for q in quarters]


class ReportRequestForm(forms.Form):
    """Which report, of which agency (or person), for which quarter or month."""

    kind = forms.ChoiceField(label=gettext_lazy("Report"), choices=ReportKind.choices)
    agency: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label=gettext_lazy("Agency"), queryset=None, required=False
    )
    quarter = forms.ChoiceField(label=gettext_lazy("Quarter (quarterly report)"), required=False)
    month = forms.CharField(
        label=gettext_lazy("Month (monthly report, monthly sheet)"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM", "pattern": r"\d{4}-\d{2}"}),
    )
    person: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=gettext_lazy("Person (monthly sheet)"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Myself"),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        today = org_selectors.today()
        agencies = selectors.readable_agencies(user)
        # The annual PDF is asked for on the annual list, where its year is chosen.
        kinds = cast(forms.ChoiceField, self.fields["kind"])
        kinds.choices = [(k, label) for k, label in ReportKind.choices if k != ReportKind.ANNUAL]
        cast(forms.ChoiceField, self.fields["quarter"]).choices = _quarters(today)
        last_quarter = periods.add_months(today, -periods.MONTHS_A_QUARTER)
        self.fields["quarter"].initial = periods.quarter_value(last_quarter)
        self.fields["month"].initial = periods.month_value(periods.previous_month(today))
        if user.has_perm("reports.request_agency_reports"):
            agency = cast(forms.ModelChoiceField, self.fields["agency"])
            agency.queryset = agencies
            agency.empty_label = None
            agency.required = True
        else:
            # Someone who reads no agency asks for monthly sheets only.
            del self.fields["agency"], self.fields["quarter"]
            kind = cast(forms.ChoiceField, self.fields["kind"])
            kind.choices = [(ReportKind.PERSON_MONTH, ReportKind.PERSON_MONTH.label)]
        if user.has_perm("org.list_people"):
            person = cast(forms.ModelChoiceField, self.fields["person"])
            person.queryset = org_selectors.visible_people(user, today).order_by("full_name")
        else:
            del self.fields["person"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        kind = data.get("kind")
        if kind == ReportKind.QUARTERLY:
            try:
                data["period"] = periods.parse_quarter(data.get("quarter") or "")
            except ValueError:
                self.add_error("quarter", _("Choose a quarter."))
        elif kind:
            try:
                data["period"] = periods.parse_month(data.get("month") or "")
            except ValueError:
                self.add_error("month", _("Enter a month as YYYY-MM, for example 2026-09."))
        if kind == ReportKind.PERSON_MONTH and "period" in data:
            data["person"] = data.get("person") or self.user
            data["agency"] = jobs.sheet_agency(data["person"], data["period"])
            if data["agency"] is None:
                message = _("%(person)s worked in no agency that month.")
                self.add_error("month", message % {"person": data["person"].full_name})
        elif kind:
            data["person"] = None
        return data


def _get_job_for_user(request, pk: int) -> ReportJob:
    """The job if the user may read it; 403 inside its agency, 404 for everybody else."""
    job = ReportJob.objects.select_related("agency", "person", "requested_by").filter(pk=pk).first()
    if job is None:
        raise Http404
    check_perm(request.user, "reports.read_report", job, scope="reports.view_job")
    return job


def _row_context(request, job: ReportJob) -> dict:
    return {
        "job": job,
        "can_regenerate": job.is_finished and request.user.has_perm("reports.read_report", job),
    }


@login_required
@require_http_methods(["GET", "POST"])
def job_list(request):
    """Past and running reports the user may read, and the form to ask for another one."""
    form = ReportRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = jobs.job_request(
                kind=data["kind"],
                agency=data["agency"],
                period=data["period"],
                person=data["person"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(report)s, %(period)s: being prepared. It appears below; this page follows its progress.")
                % {"report": job.get_kind_display(), "period": job.period_label},
            )
            return redirect("reports:jobs")
    kind = request.GET.get("kind", "")
    rows = jobs.visible_jobs(request.user)
    if kind in ReportKind.values:
        rows = rows.filter(kind=kind)
    page = Paginator(rows, JOBS_PER_PAGE).get_page(request.GET.get("page"))
    today = org_selectors.today()
    return render(
        request,
        "reports/jobs.html",
        {
            "form": form,
            "page": page,
            "rows": [_row_context(request, job) for job in page.object_list],
            "kind": kind,
            "kinds": ReportKind.choices,
            "querystring": f"kind={kind}" if kind in ReportKind.values else "",
            "tab_agencies": selectors.readable_agencies(request.user),
            "tab_units": selectors.headed_units(request.user, today),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def job_status(request, pk: int):
    """One job's row: htmx polls it every 2 seconds until the job is finished; a full page without JS."""
    job = _get_job_for_user(request, pk)
    context = _row_context(request, job)
    if request.headers.get("HX-Request"):
        return render(request, "reports/_job_row.html", context)
    return render(request, "reports/jobs_status.html", context)


@login_required
def job_download(request, pk: int):
    """The PDF, only to those who may read the job: media files are never served publicly.

    Read from the replica when one is configured; a job the replica does not show finished yet (it
    may be seconds behind) is read again from default.
    """
    try:
        with use_replica():
            job: ReportJob | None = _get_job_for_user(request, pk)
    except Http404:
        job = None
    if job is None or job.status != JobStatus.DONE or not job.file:
        job = _get_job_for_user(request, pk)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(
        handle, as_attachment=True, filename=jobs.filename(job), content_type="application/pdf"
    )


@login_required
@require_POST
def job_regenerate(request, pk: int):
    """Prepare the same report again, with today's figures; the previous file stays downloadable."""
    job = _get_job_for_user(request, pk)
    try:
        new = jobs.job_regenerate(job=job, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(report)s, %(period)s: being prepared again.")
            % {"report": new.get_kind_display(), "period": new.period_label},
        )
    return redirect("reports:jobs")
