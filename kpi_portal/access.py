"""How a view refuses (docs/architecture.md, "Access rules"): the same answer in every app.

The rules themselves are the ``rules.py`` of each app; a view only asks them, through one of these:

- ``permission_required(perm)`` decorates a page that has no object: 403 when the user may not use it;
- ``check_scope(user, perm, obj)`` follows the fetch of the object a page is about: 404 when the
  object is outside the viewer's scope — they must not learn that it exists — (a fetch through
  a scoped queryset, such as ``org.selectors.visible_people``, does the same);
- ``check_perm(user, perm, obj)`` then: 403 when they may see the object but not do what they ask.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404
from rules.contrib.views import permission_required as rules_permission_required


def permission_required(perm: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A view decorator: 403 unless the user has ``perm``, a permission about no object (a page)."""
    return rules_permission_required(perm, raise_exception=True)


def check_scope(user: Any, perm: str, obj: Model) -> None:
    """404 unless ``user`` has ``perm`` on ``obj``, the permission that puts it in their scope."""
    if not user.has_perm(perm, obj):
        raise Http404


def check_perm(user: Any, perm: str, obj: Model | None = None, *, scope: str | None = None) -> None:
    """403 unless ``user`` has ``perm`` (on ``obj``); with ``scope``, ``check_scope`` on ``obj`` first."""
    if scope is not None and obj is not None:
        check_scope(user, scope, obj)
    if not user.has_perm(perm, obj):
        raise PermissionDenied
