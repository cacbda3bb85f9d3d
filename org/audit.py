"""The audit trail: every change to statuses, scores, ratings, weights and appeals is written here.

Services call ``record`` inside their transaction, so a change and its audit
row are saved together or not at all.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, cast

from django.db import models

from .models import Agency, AuditEvent, User


def _plain(value: Any) -> Any:
    """JSON-friendly copy of a value (decimals as strings keep their exact digits)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


def record(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    agency: Agency | None = None,
    person: User | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Write one audit event; ``agency`` and ``person`` default to the target's own (an entry's)."""
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        object_type=cast(str, target._meta.model_name),  # None only for abstract models
        object_id=target.pk,
        agency=agency or getattr(target, "agency", None),
        person=person or getattr(target, "person", None),
        before=_plain(before or {}),
        after=_plain(after or {}),
        reason=reason,
    )
