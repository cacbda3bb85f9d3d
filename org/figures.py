""" "The figures of these agency-months changed": the one way any app says so.

The mark is a row (``StaleMonth``) written in the caller's transaction, so it
commits or rolls back with the change itself; after the commit a signal nudges
the subscribers (the reports recompute at once when a broker is there, and a
sweeper picks up any mark left behind).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .models import StaleMonth
from .signals import figures_changed

AgencyMonth = tuple[int, datetime.date]


def months_of(entries: Iterable) -> set[AgencyMonth]:
    """(agency id, first day of month) of diary entries or anything with ``agency_id`` and ``date``."""
    return {(e.agency_id, e.date.replace(day=1)) for e in entries}


def months_changed(months: Iterable[AgencyMonth]) -> None:
    """Mark the agency-months stale in the current transaction and announce them after it commits."""
    months = {(agency_id, month.replace(day=1)) for agency_id, month in months}
    if not months:
        return
    now = timezone.now()
    StaleMonth.objects.bulk_create(
        [StaleMonth(agency_id=agency_id, month=month, marked_at=now) for agency_id, month in sorted(months)],
        update_conflicts=True,
        unique_fields=["agency", "month"],
        update_fields=["marked_at"],
    )
    transaction.on_commit(lambda: figures_changed.send(sender=StaleMonth, months=months))
