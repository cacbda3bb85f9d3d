"""The leave register's pages: the month's leaves of an agency, add, delete, import (org.leave).

HR of the agency keeps everyone's leave; a unit head keeps the leave of their unit's members.
Anyone else gets 403 (nothing of the register is shown to them).
"""

from __future__ import annotations

import datetime
from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from kpi_portal import periods
from kpi_portal.forms import add_service_errors
from kpi_portal.spreadsheets import Problem

from . import leave, leave_imports
from . import selectors as org_selectors
from .forms import DateInput, PersonChoiceField
from .models import Agency, Leave, LeaveKind, User

PAGE_SIZE = 50


class LeaveFilterForm(forms.Form):
    month = forms.CharField(
        label=gettext_lazy("Month"), required=False, widget=forms.TextInput(attrs={"type": "month"})
    )
    q = forms.CharField(label=gettext_lazy("Person"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        required=False,
        choices=[("", gettext_lazy("Every kind")), *LeaveKind.choices],
    )

    def clean_month(self) -> datetime.date:
        value = self.cleaned_data.get("month") or ""
        if not value:
            return periods.month_start(org_selectors.today())
        try:
            return periods.parse_month(value)
        except ValueError:
            raise forms.ValidationError(_("Choose a month as yyyy-mm.")) from None


class LeaveForm(forms.Form):
    person = PersonChoiceField(label=gettext_lazy("Person"), queryset=User.objects.none())
    start = forms.DateField(
        label=gettext_lazy("From"),
        widget=DateInput,
        help_text=gettext_lazy("First day, inclusive, as dd/mm/yyyy."),
    )
    end = forms.DateField(
        label=gettext_lazy("Until"),
        widget=DateInput,
        help_text=gettext_lazy("Last day, inclusive, as dd/mm/yyyy."),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=LeaveKind.choices,
        help_text=gettext_lazy("A business trip is not leave: it counts as work and is logged in the diary."),
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=255, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["person"])
        field.queryset = people
        field.empty_label = _("Choose a person")

    def clean(self):
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The leave cannot end before it starts."))
        return data


class LeaveImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "XLSX or CSV with the columns Tên đăng nhập, Từ ngày, Đến ngày, Loại, Ghi chú "
            "(dates as dd/mm/yyyy; kind: nghỉ phép, nghỉ ốm or khác)."
        ),
    )


def _agency(request) -> tuple[Agency, list[Agency]]:
    """The agency whose register is shown (``?agency=CODE``), among those the user keeps; 403 if none."""
    agencies = leave.manageable_agencies(request.user)
    if not agencies:
        raise PermissionDenied(_("You do not keep any leave register."))
    code = request.GET.get("agency") or request.POST.get("agency") or ""
    chosen = next((a for a in agencies if a.code == code), agencies[0])
    return chosen, agencies


def _list_url(agency: Agency, month: datetime.date | None = None) -> str:
    query = {"agency": agency.code}
    if month is not None:
        query["month"] = periods.month_value(month)
    return f"{reverse('org:leave')}?{urlencode(query)}"


@login_required
def leave_list(request):
    agency, agencies = _agency(request)
    form = LeaveFilterForm(request.GET or None)
    month = periods.month_start(org_selectors.today())
    leaves = Leave.objects.none()
    if form.is_bound and not form.is_valid():
        messages.error(request, _("The filters were not understood; showing this month."))
    if form.is_bound and form.is_valid():
        month = form.cleaned_data["month"]
        leaves = leave.leaves_listed(
            request.user, agency, month, search=form.cleaned_data["q"], kind=form.cleaned_data["kind"]
        )
    else:
        leaves = leave.leaves_listed(request.user, agency, month)
    page = Paginator(leaves, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "org/leave_list.html",
        {
            "agency": agency,
            "agencies": agencies,
            "form": form,
            "month": month,
            "page": page,
            "querystring": query.urlencode(),
            "previous_month": periods.previous_month(month),
            "next_month": periods.next_month(month),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def leave_create(request):
    agency, _agencies = _agency(request)
    people = leave.manageable_people(request.user, agency, org_selectors.today())
    form = LeaveForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = leave.leave_record(
                by=request.user,
                agency=agency,
                entry=leave.LeaveInput(
                    data["person"], data["start"], data["end"], data["kind"], data["note"]
                ),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Leave of %(name)s from %(start)s to %(end)s recorded.")
                % {
                    "name": created.person.get_full_name(),
                    "start": f"{created.start:%d/%m/%Y}",
                    "end": f"{created.end:%d/%m/%Y}",
                },
            )
            return redirect(_list_url(agency, created.start))
    return render(request, "org/leave_form.html", {"form": form, "agency": agency})


@login_required
@require_http_methods(["GET", "POST"])
def leave_delete(request, pk: int):
    item = get_object_or_404(Leave.objects.select_related("person", "agency"), pk=pk)
    if not leave.may_manage(request.user, item.person, item.agency):
        raise PermissionDenied(_("You do not keep the leave register of this person."))
    if request.method == "POST":
        leave.leave_delete(by=request.user, leave=item)
        messages.success(request, _("The leave was deleted."))
        return redirect(_list_url(item.agency, item.start))
    return render(
        request, "org/leave_delete.html", {"leave": item, "back": _list_url(item.agency, item.start)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def leave_import(request):
    agency, _agencies = _agency(request)
    form = LeaveImportForm(request.POST or None, request.FILES or None)
    problems: list[Problem] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        count, problems = leave_imports.import_leave(
            by=request.user, agency=agency, content=upload.read(), filename=upload.name
        )
        if not problems:
            messages.success(request, _("%(count)s leaves imported.") % {"count": count})
            return redirect(_list_url(agency))
    return render(request, "org/leave_import.html", {"form": form, "agency": agency, "problems": problems})
