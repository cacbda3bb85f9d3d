"""An entry approved while its month is being recomputed still counts in the month's figures.

The recompute runs in the real worker and is caught at the worst moment: it has read the month's
entries and is about to replace the figures. The test holds a row of those figures locked from a
connection of its own, so the worker's ``DELETE`` waits there (seen in ``pg_stat_activity``); the reviewer
approves an entry over HTTP meanwhile; then the lock is let go. The recompute writes figures without
the approval, so what must save them is the stale mark it leaves behind (``StaleMonth.generation``)
and the next run (the nudge or beat's sweep).
"""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Sum

from faults.conftest import Gate, wait_for
from org.models import StaleMonth
from org.tests.factories import PASSWORD
from reports.models import PersonMonth
from reports.services import month_compute
from worklog.models import DiaryEntry, EntryStatus

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

APRIL = datetime.date(2025, 4, 1)
DELETE = f"DELETE FROM %{PersonMonth._meta.db_table}%"


def approved_minutes(person) -> int:
    """The month's approved standard minutes, added up from the entries themselves."""
    entries = DiaryEntry.objects.filter(
        person=person, status=EntryStatus.APPROVED, date__range=(APRIL, datetime.date(2025, 4, 30))
    )
    return entries.aggregate(total=Sum("standard_minutes"))["total"] or 0


def figures_of(person) -> int:
    return PersonMonth.objects.get(person=person, month=APRIL).approved_minutes


def test_an_entry_approved_while_its_month_is_recomputed_is_in_the_figures_after_the_sweep(
    org, april, stack, figures
):
    figures.scenario = "4. Approval during a running recompute"
    month_compute(agency=org.agency, month=APRIL)
    before = figures_of(org.member1)
    assert before == approved_minutes(org.member1)
    pending = april.pending
    StaleMonth.objects.create(agency=org.agency, month=APRIL, marked_at=datetime.datetime.now(datetime.UTC))
    stack.start_web()
    # One task at a time: the approval's own nudge waits in the queue until the recompute is over.
    stack.start_worker(concurrency=1)
    head = stack.browser()
    head.login(org.head1.username, PASSWORD)

    # A row of the month's figures held by the test: the recompute has read the entries and waits to
    # replace the figures.
    with Gate(
        f"SELECT 1 FROM {PersonMonth._meta.db_table} WHERE person_id = %s AND month = %s FOR UPDATE",
        [org.member1.pk, APRIL],
    ) as gate:
        stack.send_task("reports.tasks.recompute_stale_month", org.agency.pk, APRIL.isoformat())
        wait_for(lambda: gate.waiting(DELETE), 30, "the recompute to wait to replace the figures")

        answer = head.post(
            "/review/approve/",
            {"entry": pending.pk, f"version-{pending.pk}": pending.version, f"errors-{pending.pk}": 0},
        )
        assert answer.status == 302, answer.body[:2000]
        pending.refresh_from_db()
        assert pending.status == EntryStatus.APPROVED
        assert gate.waiting(DELETE), "the recompute finished before the approval"

    expected = approved_minutes(org.member1)
    assert expected == before + pending.standard_minutes
    # The recompute that was caught in the middle wrote figures without the approval, or the nudge
    # already followed; beat's sweep is sent as it would be every minute.
    stack.send_task("reports.tasks.sweep_stale_months")
    wait_for(
        lambda: not StaleMonth.objects.filter(agency=org.agency, month=APRIL).exists(),
        30,
        "the month's stale mark to be cleared",
    )
    observed = figures_of(org.member1)
    figures.expected = f"member1's approved minutes = {expected} (entries), stale mark cleared"
    figures.observed = f"PersonMonth {observed}, mark cleared"
    figures.lost = int(observed != expected)
    assert observed == expected
    figures.write()
