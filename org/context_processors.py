"""The navigation bar: only what the user's role may use (the items come from each app's ``menu.py``)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise

from . import menu


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str
    url_name: str


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = [NavItem(item.label, reverse(item.route), item.key) for item in menu.items_for(user)]
    current = menu.current_key(getattr(request, "resolver_match", None))
    unread = user.notifications.filter(read_at__isnull=True).count()
    return {"nav_items": items, "nav_current": current, "unread_notifications": unread}
