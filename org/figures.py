""" "The figures of these agency-months changed": the one way any app says so.

The mark is a row (``StaleMonth``) written in the caller's transaction, so it
commits or rolls back with the change itself; after the commit a signal nudges
the subscribers (the reports recompute at once when a broker is there, and a
sweeper picks up any mark left behind).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from .models import StaleMonth
from .signals import figures_changed

AgencyMonth = tuple[int, datetime.date]


def months_of(entries: Iterable) -> set[AgencyMonth]:
    """(agency id, first day of month) of diary entries or anything with ``agency_id`` and ``date``."""
    return {(e.agency_id, e.date.replace(day=1)) for e in entries}


def months_changed(months: Iterable[AgencyMonth]) -> None:
    """Mark the agency-months stale in the current transaction and announce them after it commits.

    One statement: it inserts the marks, or bumps the generation of those already there (the row
    stays locked until the caller commits, so a recompute deleting the mark waits and sees the bump).
    """
    months = {(agency_id, month.replace(day=1)) for agency_id, month in months}
    if not months:
        return
    now = timezone.now()
    table = connection.ops.quote_name(StaleMonth._meta.db_table)
    rows = sorted(months)
    values = ", ".join(["(%s, %s, %s, 1)"] * len(rows))
    ops = connection.ops
    at = ops.adapt_datetimefield_value(now)
    params = [v for agency_id, month in rows for v in (agency_id, ops.adapt_datefield_value(month), at)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_id, month, marked_at, generation) VALUES {values} "
            f"ON CONFLICT (agency_id, month) DO UPDATE "
            f"SET generation = {table}.generation + 1, marked_at = excluded.marked_at",
            params,
        )
    transaction.on_commit(lambda: figures_changed.send(sender=StaleMonth, months=months))
