"""The navigation bar: only what the user's role may use (the items come from each app's ``menu.py``)."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.functional import Promise

from . import menu


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str
    url_name: str


@dataclass
class NavGroup:
    """A dropdown of the bar: the items of one ``menu.Group`` the user may see."""

    key: str
    label: str | Promise
    items: list[NavItem] = field(default_factory=list)
    active: bool = False  # the current page is one of its items


def _entries(shown: list[menu.Item], items: list[NavItem], current: str | None) -> list[NavItem | NavGroup]:
    """The bar's top level: items, and each group (two items or more) where its first item stands."""
    sizes: dict[str, int] = {}
    for item in shown:
        if item.group:
            sizes[item.group] = sizes.get(item.group, 0) + 1
    entries: list[NavItem | NavGroup] = []
    groups: dict[str, NavGroup] = {}
    for item, nav_item in zip(shown, items, strict=True):
        if item.group is None or sizes[item.group] < 2:
            entries.append(nav_item)
            continue
        if item.group not in groups:
            declared = menu.group(item.group)
            groups[item.group] = NavGroup(declared.key, declared.label)
            entries.append(groups[item.group])
        groups[item.group].items.append(nav_item)
        groups[item.group].active |= nav_item.url_name == current
    return entries


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    shown = menu.items_for(user)
    items = [NavItem(item.label, reverse(item.route), item.key) for item in shown]
    current = menu.current_key(getattr(request, "resolver_match", None))
    unread = user.notifications.filter(read_at__isnull=True).count()
    return {
        "nav_items": items,
        "nav_entries": _entries(shown, items, current),
        "nav_current": current,
        "unread_notifications": unread,
    }
