"""Two computations of the same agency-month at once, with an approval landing in between (PostgreSQL).

Before the agency-month lock, the second run failed on ``person_month_once`` and, when the failed
one was the newer, the figures missed the approval made between them.
"""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from conftest import require
from evaluation.tests.test_concurrency import HoldAfterLock, race
from reports import services
from reports.models import MonthRun, PersonMonth, UnitMonth
from worklog import lifecycle

from .fixtures import APRIL

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql():
    require(connection.vendor == "postgresql", "the concurrency tests need PostgreSQL (DATABASE_URL)")


def test_a_second_computation_waits_for_the_first_and_sees_what_was_approved_meanwhile(
    org, april, monkeypatch
):
    call_command("compute_reports", "--month", "2025-04", "--agency", "STC", stdout=io.StringIO())
    before = PersonMonth.objects.get(person=org.member1).approved_minutes
    people, units = PersonMonth.objects.count(), UnitMonth.objects.count()
    # The first run stops once it has read the inputs, holding the month's lock.
    hold = HoldAfterLock(monkeypatch, services, "person_months")
    approved = []

    def compute():
        return services.month_compute(agency=org.agency, month=APRIL)

    def approve_and_compute():
        # A reviewer approves while the first run holds the lock; the nudge's run then waits for it.
        entry = april.pending
        lifecycle.entries_approve(
            approvals={entry.pk: lifecycle.Approval(version=entry.version)}, by=org.head1
        )
        approved.append(entry.pk)
        return services.month_compute(agency=org.agency, month=APRIL)

    first, second = race(hold, compute, approve_and_compute)

    assert first.error is None and second.error is None, (first.error, second.error)
    assert approved == [april.pending.pk]
    assert PersonMonth.objects.get(person=org.member1).approved_minutes == before + 120
    assert (PersonMonth.objects.count(), UnitMonth.objects.count()) == (people, units)
    assert MonthRun.objects.filter(agency=org.agency, month=APRIL).count() == 1
