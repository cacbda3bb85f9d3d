"""The review queue: approve in bulk with marks, or return an entry with a reason. Thin: the rules
live in ``worklog.lifecycle`` (the one owner of an entry's status) and ``services`` (no bulk approval
of an entry with an open evidence flag)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kpi_portal.access import check_perm, permission_required
from kpi_portal.forms import add_service_errors
from kpi_portal.text import safe_next
from org import selectors as org_selectors
from org.models import Delegation
from worklog import lifecycle
from worklog.models import DiaryEntry, EntryStatus

from . import selectors, services
from .forms import ExcludeForm, QueueFilterForm, ReturnForm

# A page is what a reviewer reads before approving: ten person-days (about 60 entries) keep it readable
# and its rendering under the queue's time target at a year of province data (docs/performance.md).
QUEUE_DAYS_PER_PAGE = 10


def _tabs(request) -> dict:
    return {"read_agencies": org_selectors.read_agencies(request.user)}


def _queue_context(request) -> dict:
    """The queue with the filters applied; the filter's choices come from the people and tasks waiting."""
    filters = QueueFilterForm(request.GET)
    dates = {"start": None, "end": None}
    if filters.is_valid():
        dates = {"start": filters.cleaned_data["start"], "end": filters.cleaned_data["end"]}
    data = filters.cleaned_data if filters.is_valid() else {}
    queue = selectors.review_queue(
        request.user,
        person_id=data.get("person"),
        task_id=data.get("task"),
        flagged_only=bool(data.get("flagged")),
        **dates,
    )
    form = QueueFilterForm(request.GET or None, people=queue.people, tasks=queue.tasks)
    form.is_valid()
    page = Paginator(queue.days, QUEUE_DAYS_PER_PAGE).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return {
        "form": form,
        "queue": queue,
        "page": page,
        "querystring": querystring.urlencode(),
        "here": request.get_full_path(),
        # Delegations the user reviews under today: the queue holds the delegators' work too.
        "on_behalf": list(
            Delegation.objects.in_force_on(org_selectors.today())
            .filter(delegate=request.user)
            .select_related("delegator")
            .order_by("end")
        ),
        **_tabs(request),
    }


@login_required
@permission_required("review.review_entries")
def queue(request):
    template = "review/_queue_panel.html" if request.htmx else "review/queue.html"
    return render(request, template, _queue_context(request))


def _approvals(post) -> dict[int, lifecycle.Approval]:
    """The ticked entries with their versions and marks; ValueError on anything malformed."""
    approvals = {}
    for raw in post.getlist("entry"):
        pk = int(raw)
        approvals[pk] = lifecycle.Approval(
            version=int(post.get(f"version-{pk}", "")),
            major_errors=int(post.get(f"errors-{pk}") or 0),
            delays=int(post.get(f"delays-{pk}") or 0),
        )
    return approvals


@login_required
@permission_required("review.review_entries")
@require_POST
def approve(request):
    try:
        approvals = _approvals(request.POST)
    except ValueError:
        messages.error(request, _("The form was incomplete. Reload the queue and try again."))
    else:
        try:
            count = services.entries_approve(approvals=approvals, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("%(count)s entries approved.") % {"count": count})
    return redirect(safe_next(request, reverse("review:queue")))


@login_required
@require_POST
def approve_with_note(request, pk: int):
    """Approve one flagged entry on its own, the note clearing its flags (never in bulk)."""
    entry = _get_entry_for_reviewer(request, pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        messages.error(request, _("The form was incomplete. Reload the queue and try again."))
    else:
        try:
            services.entry_approve_with_note(
                entry=entry, by=request.user, note=request.POST.get("note", ""), version=version
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("%(count)s entries approved.") % {"count": 1})
    back = safe_next(request, reverse("review:queue"))
    if request.htmx:
        return HttpResponse(headers={"HX-Redirect": back})
    return redirect(back)


def _get_entry_for_reviewer(request, pk: int) -> DiaryEntry:
    """An entry the user reviews, in any status: 404 outside their scope, 403 to those who only read it.

    Any status, so that a reviewer who lost a race (the entry was approved or returned meanwhile)
    is told so by ``worklog.lifecycle`` instead of getting a 404.
    """
    entry = get_object_or_404(DiaryEntry.objects.select_related("person", "task", "stage", "agency"), pk=pk)
    check_perm(request.user, "worklog.review_entry", entry, scope="worklog.view_entry")
    return entry


@login_required
@require_http_methods(["GET", "POST"])
def entry_return(request, pk: int):
    entry = _get_entry_for_reviewer(request, pk)
    back = safe_next(request, reverse("review:queue"))
    if request.method == "GET" and entry.status != EntryStatus.SUBMITTED:
        messages.error(request, lifecycle.changed_message(entry))
        if request.htmx:
            return HttpResponse(headers={"HX-Redirect": back})
        return redirect(back)
    # Prefixed: several return forms can be open inside the queue's approval form at once.
    form = ReturnForm(request.POST or None, initial={"version": entry.version}, prefix=f"return-{entry.pk}")
    if request.method == "POST" and form.is_valid():
        try:
            returned = services.entry_return(
                entry=entry,
                by=request.user,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if request.htmx:
                # In place: the reviewer keeps their place in the queue; the entry's row goes.
                return render(request, "review/_returned_row.html", {"entry": returned})
            messages.success(
                request, _("The entry of %(name)s was returned.") % {"name": entry.person.get_full_name()}
            )
            return redirect(back)
    template = "review/_return_form.html" if request.htmx else "review/entry_return.html"
    status = 400 if request.method == "POST" and not request.htmx else 200
    return render(request, template, {"entry": entry, "form": form, "next": back}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def entry_exclude(request, pk: int):
    """A waiting entry left out of its month with a reason, by the person's reviewer or an agency leader."""
    entry = get_object_or_404(DiaryEntry.objects.select_related("person", "task", "stage", "agency"), pk=pk)
    if not request.user.has_perm("worklog.exempt_entry", entry):
        check_perm(request.user, "worklog.review_entry", entry, scope="worklog.view_entry")
    back = safe_next(request, reverse("review:queue"))
    if request.method == "GET" and entry.status != EntryStatus.SUBMITTED:
        messages.error(request, lifecycle.changed_message(entry))
        return redirect(back)
    form = ExcludeForm(request.POST or None, initial={"version": entry.version})
    if request.method == "POST" and form.is_valid():
        try:
            lifecycle.entry_exclude(
                entry=entry,
                by=request.user,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The entry of %(name)s was excluded from the month.")
                % {"name": entry.person.get_full_name()},
            )
            return redirect(back)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "review/entry_exclude.html", {"entry": entry, "form": form, "next": back}, status=status
    )
