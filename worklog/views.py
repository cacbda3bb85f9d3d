import datetime
import uuid
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from catalog.models import Stage
from kpi_portal import periods
from kpi_portal.access import check_perm, check_scope
from kpi_portal.forms import add_service_errors
from kpi_portal.text import figure
from org import calendar
from org import selectors as org_selectors
from org.models import Agency

from . import extensions, lifecycle, selectors, services
from . import week as grids
from .forms import CopyDayForm, DayReopenForm, EntryForm, ReasonForm
from .models import DayReopening, DiaryEntry


def _get_own_entry(request, pk: int) -> DiaryEntry:
    """An entry of the person's own diary: 404 outside the user's scope, 403 to those who only read it."""
    entry = get_object_or_404(DiaryEntry.objects.select_related("person", "task", "stage", "agency"), pk=pk)
    check_perm(request.user, "worklog.change_entry", entry, scope="worklog.view_entry")
    return entry


def _agency_on(request, day: datetime.date) -> Agency | None:
    membership = org_selectors.membership_on(request.user, day)
    return membership.unit.agency if membership else None


def _entry_form(
    request,
    day: datetime.date,
    agency: Agency | None,
    data=None,
    *,
    entry: DiaryEntry | None = None,
    open_assignments: list[selectors.Progress] | None = None,
    **kwargs,
) -> EntryForm:
    if agency is None:
        return EntryForm(data, choices=[], stages=DiaryEntry.objects.none(), **kwargs)
    if open_assignments is None:
        open_assignments = selectors.open_assignments(request.user)
    assignments = [progress.assignment for progress in open_assignments]
    if entry is not None and entry.assignment is not None and entry.assignment not in assignments:
        assignments.append(entry.assignment)  # complete since, or past: the entry keeps it
    return EntryForm(
        data,
        choices=selectors.picker_choices(request.user, agency, day),
        stages=selectors.allowed_stages(agency, day),
        assignments=assignments,
        **kwargs,
    )


def _assignment_initial(
    request, day: datetime.date, agency: Agency | None, open_assignments: list[selectors.Progress]
) -> dict:
    """``?assignment=<id>`` (the day page's "log this" link): the add form starts with that work."""
    value = request.GET.get("assignment", "")
    if agency is None or not value.isdigit():
        return {}
    progress = next((p for p in open_assignments if p.assignment.pk == int(value)), None)
    if progress is None:
        return {}
    assignment = progress.assignment
    stages = selectors.allowed_stages(agency, day).filter(task__code=assignment.task.code)
    if assignment.stage is not None:
        stages = stages.filter(order=assignment.stage.order)
    stage = stages.order_by("order").first()
    remaining = (assignment.standard_minutes - progress.approved_minutes - progress.waiting_minutes) / (
        assignment.norm_minutes
    )
    initial: dict = {"assignment": assignment.pk}
    if stage is not None:
        initial["stage"] = stage.pk
    if assignment.stage is not None and remaining > 0:
        initial["quantity"] = remaining.quantize(Decimal("0.01"))
    return initial


def _day_context(request, day: datetime.date, *, form=None, editing=None, edit_form=None) -> dict:
    agency = _agency_on(request, day)
    entries = list(selectors.day_entries(request.user, day))
    is_open = agency is not None and services.day_is_open(request.user, agency, day)
    open_assignments = selectors.open_assignments(request.user) if is_open else []
    if form is None and is_open:
        # A new token each time the empty add form is shown; a form shown again with errors keeps its own.
        initial = {
            "client_token": uuid.uuid4(),
            **_assignment_initial(request, day, agency, open_assignments),
        }
        form = _entry_form(request, day, agency, open_assignments=open_assignments, initial=initial)
    return {
        "open_assignments": open_assignments,
        "day": day,
        "agency": agency,
        "entries": entries,
        "totals": selectors.totals(entries, agency),
        "entry_details": extensions.entry_templates(),
        "form": form,
        "is_open": is_open,
        "is_working_day": calendar.is_working_day(agency, day),
        "holiday": calendar.public_holiday_name(day),
        "editing": editing,
        "edit_form": edit_form,
        # The day to copy from: the last working day before this one (Friday for a Monday, not Sunday).
        "copy_form": CopyDayForm(initial={"source": calendar.previous_working_day(agency, day)}),
        "today": org_selectors.today(),
        "submittable": any(e.is_editable for e in entries),
    }


def _render_day(request, day: datetime.date, **kwargs):
    template = "worklog/_day_panel.html" if request.htmx else "worklog/day.html"
    return render(request, template, _day_context(request, day, **kwargs))


@login_required
def index(request):
    return redirect("worklog:day", day=org_selectors.today())


@login_required
@require_http_methods(["GET", "POST"])
def day(request, day: datetime.date):
    if request.method == "GET":
        return _render_day(request, day)
    agency = _agency_on(request, day)
    form = _entry_form(request, day, agency, request.POST)
    if form.is_valid():
        try:
            result = services.entry_create(
                person=request.user,
                day=day,
                data=form.to_input(),
                by=request.user,
                client_token=form.cleaned_data["client_token"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _saved_message(request, result)
            if request.htmx:
                return _render_day(request, day)
            return redirect("worklog:day", day=day)
    return _render_day(request, day, form=form)


def _saved_message(request, result: services.SaveResult) -> None:
    messages.success(request, _("Saved."))
    if result.over_eight_hours:
        messages.warning(
            request,
            _("This day now has %(hours)s standard hours, more than 8: it will be flagged for review.")
            % {"hours": figure(result.day_minutes / 60, 1)},
        )


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request, pk: int):
    entry = _get_own_entry(request, pk)
    if not entry.is_editable:
        messages.error(request, _("This entry can no longer be changed."))
        return redirect("worklog:day", day=entry.date)
    initial = {
        "stage": entry.stage_id,
        "quantity": entry.quantity,
        "estimate_minutes": entry.estimate_minutes,
        "description": entry.description,
        "evidence_ref": entry.evidence_ref,
        "assignment": entry.assignment_id,
        "version": entry.version,
    }
    form = _entry_form(request, entry.date, entry.agency, request.POST or None, entry=entry, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.entry_update(
                entry=entry, data=form.to_input(), by=request.user, version=form.cleaned_data["version"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _saved_message(request, result)
            if request.htmx:
                return _render_day(request, entry.date)
            return redirect("worklog:day", day=entry.date)
    if request.htmx:
        return _render_day(request, entry.date, editing=entry.pk, edit_form=form)
    return render(request, "worklog/entry_edit.html", {"entry": entry, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def entry_delete(request, pk: int):
    entry = _get_own_entry(request, pk)
    if request.method == "POST":
        version = request.POST.get("version")
        try:
            services.entry_delete(
                entry=entry, by=request.user, version=int(version) if version and version.isdigit() else None
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Entry deleted."))
        if request.htmx:
            return _render_day(request, entry.date)
        return redirect("worklog:day", day=entry.date)
    return render(request, "worklog/entry_confirm_delete.html", {"entry": entry})


def _submit(request, start: datetime.date, end: datetime.date):
    try:
        count = lifecycle.entries_submit(person=request.user, start=start, end=end, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(count)s entries submitted for review.") % {"count": count})


@login_required
@require_POST
def day_submit(request, day: datetime.date):
    _submit(request, day, day)
    return redirect("worklog:day", day=day)


@login_required
@require_POST
def week_submit(request, day: datetime.date):
    monday = selectors.monday_of(day)
    _submit(request, monday, monday + datetime.timedelta(days=6))
    return redirect("worklog:week", day=monday)


@login_required
@require_POST
def day_copy(request, day: datetime.date):
    form = CopyDayForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the day to copy from as dd/mm/yyyy."))
        return redirect("worklog:day", day=day)
    try:
        copies = services.day_copy(
            person=request.user, source=form.cleaned_data["source"], target=day, by=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("%(count)s entries copied as drafts; add their evidence.") % {"count": len(copies)}
        )
    return redirect("worklog:day", day=day)


def _added_rows(request) -> list[grids.RowKey]:
    """The rows the person added by searching the catalog: carried along as ``row`` (task code and
    stage order), the newest as ``add`` (a stage's id, from the search)."""
    source = request.POST if request.method == "POST" else request.GET
    keys = [key for key in map(grids.row_key, source.getlist("row")) if key is not None]
    value = request.GET.get("add", "")
    if value.isdigit():
        stage = Stage.objects.filter(pk=int(value)).select_related("task").first()
        if stage is not None:
            keys.append((stage.task.code, stage.order))
    return keys


def _week_url(monday: datetime.date, grid: grids.WeekGrid, *, show_weekend: bool) -> str:
    query = [("row", row.value) for row in grid.rows if row.added]
    if show_weekend:
        query.append(("weekend", "1"))
    url = reverse("worklog:week", args=[monday])
    return f"{url}?{urlencode(query)}" if query else url


@login_required
@require_http_methods(["GET", "POST"])
def week(request, day: datetime.date):
    """The week grid; posted whole (without JavaScript), every changed cell is saved or none is."""
    monday = selectors.monday_of(day)
    show_weekend = (request.POST if request.method == "POST" else request.GET).get("weekend") == "1"
    added = _added_rows(request)
    grid = grids.week_grid(request.user, monday, added=added, show_weekend=show_weekend)
    if request.method == "POST":
        check_perm(request.user, "worklog.keep_diary")
        count, refused = grids.grid_save(grid=grid, data=request.POST, by=request.user)
        if not refused:
            if count:
                messages.success(request, _("Saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect(_week_url(monday, grid, show_weekend=show_weekend))
        messages.error(request, _("Nothing was saved: correct the cells marked in red."))
    reference = grids.reference_day(monday, org_selectors.today())
    choices = (
        selectors.picker_choices(request.user, grid.agency, reference)
        if grid.agency is not None and grid.editable_days
        else []
    )
    return render(
        request,
        "worklog/week.html",
        {
            "monday": monday,
            "grid": grid,
            "choices": choices,
            "show_weekend": show_weekend,
            # The row just added from the search: its cell of the day is where typing goes on.
            "new_row": added[-1] if request.GET.get("add") and added else None,
            "today": org_selectors.today(),
            # Per visible day: the date, its standard minutes and the day.
            "columns": [(d.date, d.minutes, d) for d in grid.shown_days],
            "week_minutes": grid.minutes,
            "previous": monday - datetime.timedelta(days=7),
            "next": monday + datetime.timedelta(days=7),
        },
    )


@login_required
@require_POST
def week_cell(request, day: datetime.date):
    """One cell of the week grid, saved as the person leaves it (htmx): the cell comes back with the
    saved value or the message, and the day's, row's and week's totals with it."""
    check_perm(request.user, "worklog.keep_diary")
    monday = selectors.monday_of(day)
    value, _sep, iso = request.POST.get("cell", "").rpartition("|")
    key = grids.row_key(value)
    try:
        date = datetime.date.fromisoformat(iso)
    except ValueError:
        raise Http404 from None
    if key is None or selectors.monday_of(date) != monday:
        raise Http404
    grid = grids.week_grid(request.user, monday, added=[key])
    cell = grid.cell(key, date)
    if cell is None:
        raise Http404
    grids.cell_save(grid=grid, cell=cell, data=request.POST, by=request.user)
    if not request.htmx:
        if cell.error:
            messages.error(request, cell.error)
        return redirect("worklog:week", day=monday)
    if not cell.error:
        grid = grids.week_grid(request.user, monday, added=[key])
        saved = cell.saved
        cell = grid.cell(key, date)
        if cell is None:  # the row went with its last entry and is no longer in the catalog
            return HttpResponse(status=204)
        cell.saved = saved
    return render(
        request, "worklog/_week_cell.html", {"grid": grid, "cell": cell, "monday": monday, "oob": True}
    )


@login_required
def month(request, year: int, month: int):
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise Http404
    first = datetime.date(year, month, 1)
    agency = _agency_on(request, min(first, org_selectors.today()))
    weeks = selectors.month_weeks(request.user, agency, year, month)
    return render(
        request,
        "worklog/month.html",
        {
            "first": first,
            "weeks": weeks,
            "month_minutes": sum(c.minutes for week in weeks for c in week if c.in_month),
            "previous": periods.previous_month(first),
            "next": periods.next_month(first),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_reopen(request, pk: int):
    """HR or an administrator unlocks an approved entry, with a reason."""
    entry = get_object_or_404(DiaryEntry.objects.select_related("person", "agency", "task", "stage"), pk=pk)
    check_scope(request.user, "worklog.view_entry", entry)
    check_perm(request.user, "worklog.reopen_entries", entry.agency)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lifecycle.entry_reopen(entry=entry, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The entry was reopened and returned to %(name)s.") % {"name": entry.person}
            )
            return redirect("org:person", pk=entry.person_id)
    return render(request, "worklog/entry_reopen.html", {"entry": entry, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def day_reopen(request, person_id: int):
    """A reviewer lets a person log a day older than the back-dating window."""
    person = get_object_or_404(org_selectors.visible_people(request.user), pk=person_id)
    check_perm(request.user, "worklog.reopen_day", DayReopening(person=person, date=org_selectors.today()))
    form = DayReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.day_reopen(
                person=person,
                day=form.cleaned_data["date"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied):
                form.add_error(None, str(error) or _("You cannot reopen this day."))
            else:
                add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(day)s reopened for %(name)s.")
                % {"day": date_format(form.cleaned_data["date"], "SHORT_DATE_FORMAT"), "name": person},
            )
            return redirect("org:person", pk=person.pk)
    return render(request, "worklog/day_reopen.html", {"person": person, "form": form})


@login_required
@require_POST
def remind_missing_days(request, person_id: int):
    """A reviewer reminds a person who logged nothing on some working days of this week or last."""
    today = org_selectors.today()
    if person_id not in org_selectors.reviewee_ids(request.user, today):
        raise PermissionDenied(_("You remind only the people you review."))
    missing = next((m for m in selectors.missing_days(request.user, today) if m.person.pk == person_id), None)
    if missing is None:
        messages.info(request, _("They have logged every working day of this week and last."))
    elif services.missing_days_remind(by=request.user, person=missing.person, days=missing.days, today=today):
        messages.success(request, _("%(name)s was reminded.") % {"name": missing.person.get_full_name()})
    else:
        messages.info(
            request, _("%(name)s was already reminded today.") % {"name": missing.person.get_full_name()}
        )
    return redirect("home")
