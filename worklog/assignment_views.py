"""Pages of assignments: mine and those I manage, assigning (to several people), change, cancel, routines.

They live with the diary because they show each assignment's progress, which is the diary's: the approved
entries counted toward it (``selectors.assignment_progress``). The rules are ``assignments``'.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assignments import selectors, services
from assignments.forms import (
    AssignmentChangeForm,
    AssignmentForm,
    CancelForm,
    FilterForm,
    RecurringForm,
    StopForm,
)
from assignments.models import Assignment, AssignmentStatus, RecurringAssignment
from kpi_portal.access import check_perm, permission_required
from kpi_portal.forms import add_service_errors
from org import selectors as org_selectors
from org.models import Agency, AuditEvent

from . import selectors as worklog_selectors


@login_required
@permission_required("assignments.list_assignments")
def index(request):
    """My assignments with their progress and, for those who assign, the assignments they manage."""
    user = request.user
    mine = Paginator(selectors.mine(user), selectors.PAGE_SIZE).get_page(request.GET.get("mine"))
    context: dict[str, object] = {
        "mine": mine,
        "mine_progress": worklog_selectors.assignment_progress(list(mine)),
    }
    if user.has_perm("assignments.assign_work"):
        people = selectors.assignable_people(user)
        form = FilterForm(request.GET or None, people=people, statuses=AssignmentStatus.choices)
        person, status = None, ""
        if form.is_valid():
            person, status = form.cleaned_data["person"], form.cleaned_data["status"]
        page = Paginator(selectors.managed(user, person=person, status=status), selectors.PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        querystring = request.GET.copy()
        querystring.pop("page", None)
        context |= {
            "filter_form": form,
            "page": page,
            "progress": worklog_selectors.assignment_progress(list(page)),
            "querystring": querystring.urlencode(),
            "agency": selectors.assigning_agency(user),
        }
    return render(request, "assignments/index.html", context)


@login_required
@permission_required("assignments.assign_work")
@require_http_methods(["GET", "POST"])
def create(request):
    user = request.user
    today = org_selectors.today()
    agency = selectors.assigning_agency(user)
    choices = selectors.work_choices(agency, today) if agency else []
    people = selectors.assignable_people(user)
    initial: dict[str, object] = {"quantity": 1, "client_token": uuid.uuid4()}
    if request.GET.get("person", "").isdigit():
        initial["people"] = [int(request.GET["person"])]
    form = AssignmentForm(request.POST or None, people=people, work_choices=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        work = selectors.work_of(agency, today, form.cleaned_data["work"]) if agency else None
        if work is None:
            form.add_error("work", _("Choose a task of the catalog in force."))
        else:
            task, stage = work
            data = services.AssignmentInput(
                task=task,
                stage=stage,
                quantity=form.cleaned_data["quantity"],
                due_date=form.cleaned_data["due_date"],
                note=form.cleaned_data["note"],
                source=form.cleaned_data["source"],
            )
            try:
                created = services.assignments_create(
                    people=list(form.cleaned_data["people"]),
                    data=data,
                    by=user,
                    client_token=form.cleaned_data["client_token"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Assigned to %(count)s people: %(names)s.")
                    % {"count": len(created), "names": ", ".join(a.person.get_full_name() for a in created)},
                )
                return redirect("assignments:index")
    return render(request, "assignments/form.html", {"form": form, "agency": agency})


def _get_assignment(request, pk: int) -> Assignment:
    assignment = get_object_or_404(
        Assignment.objects.select_related("task", "stage", "person", "assigned_by", "unit", "agency"), pk=pk
    )
    if not request.user.has_perm("assignments.view_assignment", assignment):
        raise Http404
    return assignment


def _detail(request, assignment: Assignment, **forms):
    can_change = request.user.has_perm("assignments.change_assignment", assignment) and assignment.is_open
    if can_change:
        forms.setdefault(
            "change_form",
            AssignmentChangeForm(
                initial={
                    "quantity": assignment.quantity,
                    "due_date": assignment.due_date,
                    "note": assignment.note,
                    "version": assignment.version,
                }
            ),
        )
        forms.setdefault("cancel_form", CancelForm(initial={"version": assignment.version}))
    entries = assignment.entries.select_related("stage").order_by("date", "pk")
    history = AuditEvent.objects.filter(object_type="assignment", object_id=assignment.pk).select_related(
        "actor"
    )
    return render(
        request,
        "assignments/detail.html",
        {
            "assignment": assignment,
            "progress": worklog_selectors.assignment_progress([assignment])[assignment.pk],
            "entries": entries,
            "history": history,
            "can_change": can_change,
            **forms,
        },
    )


@login_required
def detail(request, pk: int):
    return _detail(request, _get_assignment(request, pk))


def _write(request, pk: int, form_class, form_name: str, write, done: str):
    """Change or cancel an assignment from its page: ``write(assignment, cleaned_data)`` calls the service."""
    assignment = _get_assignment(request, pk)
    check_perm(request.user, "assignments.change_assignment", assignment)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            write(assignment, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done % {"name": assignment.person.get_full_name()})
            return redirect("assignments:detail", pk=pk)
    return _detail(request, assignment, **{form_name: form})


@login_required
@require_POST
def change(request, pk: int):
    def write(assignment, data):
        services.assignment_change(
            assignment=assignment,
            quantity=data["quantity"],
            due_date=data["due_date"],
            note=data["note"],
            reason=data["reason"],
            by=request.user,
            version=data["version"],
        )

    return _write(
        request,
        pk,
        AssignmentChangeForm,
        "change_form",
        write,
        _("The assignment was changed; %(name)s was told."),
    )


@login_required
@require_POST
def cancel(request, pk: int):
    def write(assignment, data):
        services.assignment_cancel(
            assignment=assignment, reason=data["reason"], by=request.user, version=data["version"]
        )

    return _write(
        request, pk, CancelForm, "cancel_form", write, _("The assignment was cancelled; %(name)s was told.")
    )


def _led_agency(request, code: str) -> Agency:
    agency = get_object_or_404(Agency, code=code)
    if not request.user.has_perm("org.view_agency", agency):
        raise Http404
    check_perm(request.user, "assignments.manage_recurring", agency)
    return agency


@login_required
@require_http_methods(["GET", "POST"])
def recurring(request, code: str):
    """The routine of the agency's job positions: products expected each month, issued to every holder."""
    agency = _led_agency(request, code)
    today = org_selectors.today()
    choices = selectors.work_choices(agency, today)
    form = RecurringForm(request.POST or None, work_choices=choices)
    if request.method == "POST" and form.is_valid():
        work = selectors.work_of(agency, today, form.cleaned_data["work"])
        if work is None:
            form.add_error("work", _("Choose a task of the catalog in force."))
        else:
            try:
                services.recurring_create(
                    agency=agency,
                    position=form.cleaned_data["position"],
                    task=work[0],
                    stage=work[1],
                    quantity=form.cleaned_data["quantity"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The routine was saved; this month's work was assigned to those holding the position."),
                )
                return redirect("assignments:recurring", code=agency.code)
    page = Paginator(selectors.recurring_of(agency), selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "assignments/recurring.html",
        {
            "agency": agency,
            "form": form,
            "page": page,
            "positions": selectors.positions_of(agency),
            "stop_form": StopForm(),
        },
    )


@login_required
@require_POST
def recurring_stop(request, code: str, pk: int):
    agency = _led_agency(request, code)
    routine = get_object_or_404(RecurringAssignment, pk=pk, agency=agency)
    form = StopForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for stopping."))
        return redirect("assignments:recurring", code=agency.code)
    try:
        services.recurring_stop(recurring=routine, reason=form.cleaned_data["reason"], by=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("The routine stops from next month."))
    return redirect("assignments:recurring", code=agency.code)
