"""Who made a change, and why, on the history row django-simple-history writes for it.

simple_history reads ``_history_user`` and ``_change_reason`` off the instance when the next
``save()`` writes its historical row. No model declares them, so they are set here, in one place
the type checker is told about, instead of in every service.

Diary entries have no such rows: their history is their audit events (``org.audit.record``; issue 19).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.db.models import Model


def set_history_user(instance: Model, *, by: AbstractBaseUser | None, reason: str | None = None) -> None:
    """Name ``by`` (and ``reason``, or none) on the history row of the next ``save()`` of ``instance``."""
    instance._history_user = by  # type: ignore[attr-defined]
    instance._change_reason = reason  # type: ignore[attr-defined]
