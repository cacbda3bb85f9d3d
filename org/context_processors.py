"""The navigation bar: only what the user's role may use."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


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
    if user.has_perm("org.list_people"):
        items.append(NavItem(_("People"), reverse("org:people"), "people"))
    if user.has_perm("org.delegate_review") or user.delegations_received.exists():
        items.append(NavItem(_("Review delegation"), reverse("org:delegations"), "delegations"))
    if user.is_staff:
        items.append(NavItem(_("Administration"), reverse("admin:index"), "admin"))
    current = getattr(getattr(request, "resolver_match", None), "url_name", None)
    return {"nav_items": items, "nav_current": current}
