"""The navigation bar: only what the user's role may use."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .selectors import access_scope


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    url_name: str


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = [NavItem(_("Home"), reverse("home"), "home")]
    scope = access_scope(user)
    if scope.member_agency_ids:
        items.append(NavItem(_("Work diary"), reverse("worklog:index"), "worklog"))
    if scope.member_agency_ids or scope.catalog_agency_ids:
        items.append(NavItem(_("Task catalog"), reverse("catalog:index"), "catalog"))
    if scope.heads_unit or scope.reviewee_ids:
        items.append(NavItem(_("Review"), reverse("evaluation:queue"), "evaluation"))
    elif scope.member_agency_ids or scope.agency_roles or scope.province_roles:
        items.append(NavItem(_("Evaluation"), reverse("evaluation:mine"), "evaluation"))
    if scope.member_agency_ids or scope.agency_ids or scope.province_ids or scope.everything:
        items.append(NavItem(_("Reports"), reverse("reports:index"), "reports"))
    if user.has_perm("org.list_people"):
        items.append(NavItem(_("People"), reverse("org:people"), "people"))
    if user.has_perm("org.delegate_review") or user.delegations_received.exists():
        items.append(NavItem(_("Review delegation"), reverse("org:delegations"), "delegations"))
    if scope.everything or scope.agency_ids or scope.province_ids:
        items.append(NavItem(_("Audit trail"), reverse("org:audit"), "audit"))
    if user.is_staff:
        items.append(NavItem(_("Administration"), reverse("admin:index"), "admin"))
    match = getattr(request, "resolver_match", None)
    current = (
        match.app_name
        if match and match.app_name in ("catalog", "worklog", "evaluation", "reports")
        else getattr(match, "url_name", None)
    )
    unread = user.notifications.filter(read_at__isnull=True).count()
    return {"nav_items": items, "nav_current": current, "unread_notifications": unread}
