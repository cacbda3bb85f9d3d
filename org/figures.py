""" "The figures of these agency-months changed": the one way any app says so.

The mark is a row (``StaleMonth``) written in the caller's transaction, so it
commits or rolls back with the change itself; after the commit a signal nudges
the subscribers (the reports recompute at once when a broker is there, and a
sweeper picks up any mark left behind).

A change to some people's diary marks their month with those people (``people_changed``,
``StalePerson`` rows): the recompute then redoes only their rows and the totals. A change that
touches everyone (working days, memberships, a recompute asked for by hand) marks the whole
month (``months_changed``); once whole, a mark stays whole until it is cleared.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from .models import StaleMonth, StalePerson
from .signals import figures_changed

AgencyMonth = tuple[int, datetime.date]
PersonInMonth = tuple[int, datetime.date, int]  # agency id, first day of month, person id


def people_of(entries: Iterable) -> set[PersonInMonth]:
    """(agency id, first day of month, person id) of diary entries or anything with those fields."""
    return {(e.agency_id, e.date.replace(day=1), e.person_id) for e in entries}


def months_changed(months: Iterable[AgencyMonth]) -> None:
    """Mark the agency-months stale for everyone in them; announced after the commit."""
    _mark({(agency_id, month.replace(day=1)): True for agency_id, month in months}, set())


def people_changed(people: Iterable[PersonInMonth]) -> None:
    """Mark the agency-months stale for these people only; announced after the commit."""
    people = {(agency_id, month.replace(day=1), person_id) for agency_id, month, person_id in people}
    _mark({(agency_id, month): False for agency_id, month, _person in people}, people)


def _mark(months: dict[AgencyMonth, bool], people: set[PersonInMonth]) -> None:
    """One statement for the marks: it inserts them, or bumps the generation of those already there
    (the row stays locked until the caller commits, so a recompute deleting the mark waits and sees
    the bump); then the people, after their month's mark, in the same transaction."""
    if not months:
        return
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    table = ops.quote_name(StaleMonth._meta.db_table)
    rows = sorted(months.items())
    values = ", ".join(["(%s, %s, %s, 1, %s)"] * len(rows))
    params = [
        v
        for (agency_id, month), whole in rows
        for v in (agency_id, ops.adapt_datefield_value(month), now, whole)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_id, month, marked_at, generation, whole) VALUES {values} "
            f"ON CONFLICT (agency_id, month) DO UPDATE SET generation = {table}.generation + 1, "
            f"marked_at = excluded.marked_at, whole = {table}.whole OR excluded.whole",
            params,
        )
    if people:
        StalePerson.objects.bulk_create(
            [StalePerson(agency_id=a, month=m, person_id=p) for a, m, p in sorted(people)],
            ignore_conflicts=True,
        )
    marked = set(months)
    transaction.on_commit(lambda: figures_changed.send(sender=StaleMonth, months=marked))
