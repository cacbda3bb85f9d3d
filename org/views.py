from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kpi_portal.access import check_perm, permission_required
from kpi_portal.forms import add_service_errors
from kpi_portal.spreadsheets import to_csv

from . import person_page, selectors, services
from .audit import shown
from .forms import AuditFilterForm, DelegationForm, PeopleFilterForm
from .models import Delegation, User


def _get_person_for_user(request, pk: int) -> User:
    """The person ``pk`` if the access rules let the user read them; 404 otherwise."""
    return get_object_or_404(selectors.visible_people(request.user), pk=pk)


@login_required
def home(request):
    today = selectors.today()
    profile = selectors.person_profile(request.user, today)
    context = {
        "today": today,
        "profile": profile,
        "reviewee_count": len(selectors.access_scope(request.user, today).reviewee_ids),
        "sections": person_page.home_page.sections(request, request.user, profile),
    }
    return render(request, "org/home.html", context)


@login_required
@permission_required("org.list_people")
def people(request):
    form = PeopleFilterForm(request.GET or None, user=request.user)
    search, unit = "", None
    if form.is_valid():
        search = form.cleaned_data["q"].strip()
        unit = form.cleaned_data["unit"]
    people = selectors.people_list(request.user, search=search, unit=unit)
    page = Paginator(people, settings.PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(
        request,
        "org/people.html",
        {"form": form, "page": page, "querystring": querystring.urlencode()},
    )


@login_required
def person_detail(request, pk: int):
    person = _get_person_for_user(request, pk)
    profile = selectors.person_profile(person)
    return render(
        request,
        "org/person_detail.html",
        {
            "person": person,
            "profile": profile,
            "sections": person_page.sections(request, person, profile),
        },
    )


@login_required
@permission_required("org.view_delegations")
def delegations(request):
    given, received = selectors.delegations_of(request.user)
    return render(
        request,
        "org/delegations.html",
        {"given": given, "received": received, "today": selectors.today()},
    )


@login_required
@permission_required("org.delegate_review")
@require_http_methods(["GET", "POST"])
def delegation_create(request):
    form = DelegationForm(request.POST or None, delegator=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            delegation = services.delegation_create(
                delegator=request.user,
                delegate=form.cleaned_data["delegate"],
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Review delegated to %(name)s from %(start)s to %(end)s.")
                % {
                    "name": delegation.delegate,
                    "start": delegation.start.strftime("%d/%m/%Y"),
                    "end": delegation.end.strftime("%d/%m/%Y"),
                },
            )
            return redirect("org:delegations")
    return render(request, "org/delegation_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def delegation_cancel(request, pk: int):
    delegation = get_object_or_404(Delegation.objects.select_related("delegator", "delegate"), pk=pk)
    check_perm(request.user, "org.cancel_delegation", delegation, scope="org.view_delegation")
    if request.method == "POST":
        try:
            services.delegation_cancel(delegation=delegation, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The delegation was cancelled."))
        return redirect("org:delegations")
    return render(request, "org/delegation_cancel.html", {"delegation": delegation})


@login_required
def notifications(request):
    page = Paginator(request.user.notifications.all(), settings.PEOPLE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "org/notifications.html", {"page": page, "querystring": ""})


@login_required
def notification_open(request, pk: int):
    """Open a notification: it is read from now on, and the page it is about opens."""
    notification = get_object_or_404(request.user.notifications, pk=pk)
    if notification.read_at is None:
        request.user.notifications.filter(pk=pk, read_at__isnull=True).update(read_at=timezone.now())
    safe = url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(notification.url if notification.url and safe else "org:notifications")


@login_required
@require_POST
def notifications_read(request):
    request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    return redirect("org:notifications")


@login_required
@permission_required("org.view_audit")
def audit(request):
    """The audit trail, read-only, for those who read an agency in full (HR, leaders, administrators)."""
    agencies = selectors.audit_agencies(request.user)
    form = AuditFilterForm(request.GET or None, agencies=agencies)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.audit_trail(request.user, **{k: v for k, v in filters.items() if v})
    if request.GET.get("format") == "csv":
        return _audit_csv(events)
    page = Paginator(events, settings.AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(
        request, "org/audit.html", {"form": form, "page": page, "querystring": querystring.urlencode()}
    )


def _audit_csv(events) -> HttpResponse:
    """The filtered trail as the page shows it, every row (Excel in Vietnamese opens it)."""
    headers = [_("When"), _("By"), _("On behalf of"), _("Action"), _("Agency"), _("Person")]
    headers += [_("Before"), _("After"), _("Reason")]
    rows = (
        [
            date_format(timezone.localtime(event.at), "SHORT_DATETIME_FORMAT"),
            event.actor.full_name if event.actor else _("system"),
            event.on_behalf_of_name or "",
            event.action_label,
            event.agency.code if event.agency else "",
            event.person.full_name if event.person else "",
            "; ".join(f"{label}: {text}" for label, text in shown(event, "before")),
            "; ".join(f"{label}: {text}" for label, text in shown(event, "after")),
            event.reason,
        ]
        for event in events.iterator(chunk_size=2000)
    )
    response = HttpResponse(to_csv(headers, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="nhat-ky-thay-doi-{timezone.localdate():%Y%m%d}.csv"'
    )
    return response
