"""The navigation bar's items, each contributed by the app it leads to.

``org`` names no page of the apps above it: every app registers its items in its own
``menu.py`` (imported when the project starts, as django-rules imports each ``rules.py``),
with the permission that shows the item. The bar lists, in ``order``, the items whose
permission the user has; of items sharing a ``key`` only the first shown is kept (the
review queue for a reviewer, their own evaluations for everyone else).

An item may name a ``group`` (registered with ``register_group``): the bar shows the
group's visible items as one dropdown, where its first item would stand, so that a
leader's dozen items fit on one line at 1280 px. A group with one visible item is not
worth a dropdown: that item stands on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import ResolverMatch
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import User


@dataclass(frozen=True)
class Item:
    key: str  # what marks the item as the current page (``nav_current``)
    label: str | Promise
    route: str  # a URL name without arguments
    order: int
    perm: str | None = None  # shown to those who have it; to everyone when None
    sections: tuple[str, ...] = ()  # URL namespaces whose every page makes the item current
    group: str | None = None  # the key of the dropdown (``register_group``) the item goes into


@dataclass(frozen=True)
class Group:
    key: str
    label: str | Promise


_items: dict[str, Item] = {}
_groups: dict[str, Group] = {}


def register(*items: Item) -> None:
    """Add items to the bar (idempotent by route)."""
    for item in items:
        _items[item.route] = item


def register_group(*groups: Group) -> None:
    """Declare dropdowns that items may name as their ``group`` (idempotent by key)."""
    for group in groups:
        _groups[group.key] = group


def group(key: str) -> Group:
    return _groups[key]


def items_for(user: User) -> list[Item]:
    shown: list[Item] = []
    for item in sorted(_items.values(), key=lambda i: i.order):
        if any(s.key == item.key for s in shown):
            continue
        if item.perm is None or user.has_perm(item.perm):
            shown.append(item)
    return shown


def current_key(match: ResolverMatch | None) -> str | None:
    """The key of the item the page belongs to: its section's, or else the page's own URL name."""
    if match is None:
        return None
    for item in _items.values():
        if match.app_name in item.sections:
            return item.key
    return match.url_name


register_group(Group("management", _("Management")))
register(
    Item("home", _("Home"), "home", order=0),
    Item("people", _("People"), "org:people", order=60, perm="org.list_people", group="management"),
    Item(
        "delegations",
        _("Review delegation"),
        "org:delegations",
        order=70,
        perm="org.view_delegations",
        group="management",
    ),
    Item("leave", _("Leave register"), "org:leave", order=75, perm="org.keep_leave", group="management"),
    Item("audit", _("Audit trail"), "org:audit", order=80, perm="org.view_audit", group="management"),
    Item("admin", _("Administration"), "admin:index", order=90, perm="org.use_admin", group="management"),
)
