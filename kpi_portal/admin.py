"""Admin pieces shared by the apps (nothing here is registered: the apps register their own models)."""

from __future__ import annotations

from typing import Any


class ReadOnlyAdminMixin:
    """For records made in the application, where the rules and the audit apply: the admin only reads them."""

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
