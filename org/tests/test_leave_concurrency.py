"""Two leaves of one person recorded at the same moment (PostgreSQL, two connections): the second waits
for the first one's lock on the person, then sees its leave and is refused as overlapping."""

import datetime

import pytest
from django.db import connection

from conftest import require
from evaluation.tests.test_concurrency import HoldAfterLock, conflict_messages, race
from org import leave
from org.models import Leave

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql():
    require(connection.vendor == "postgresql", "the concurrency tests need PostgreSQL (DATABASE_URL)")


def _record(by, agency, person, start, end):
    return lambda: leave.leave_record(by=by, agency=agency, entry=leave.LeaveInput(person, start, end))


def test_two_overlapping_leaves_at_once_keep_one_and_tell_the_second_why(org, monkeypatch):
    # HR and the unit head record member1's leave at the same moment, for overlapping days.
    hold = HoldAfterLock(monkeypatch, leave, "lock_people")

    first, second = race(
        hold,
        _record(org.hr, org.agency, org.member1, datetime.date(2026, 3, 9), datetime.date(2026, 3, 13)),
        _record(org.head1, org.agency, org.member1, datetime.date(2026, 3, 12), datetime.date(2026, 3, 16)),
    )

    assert first.error is None, first.error
    assert "overlaps" in conflict_messages(second)[0]
    assert list(Leave.objects.values_list("start", "created_by")) == [(datetime.date(2026, 3, 9), org.hr.pk)]
