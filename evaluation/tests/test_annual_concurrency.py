"""Two leaders deciding "excellent" at the same moment with one slot left in a group: on PostgreSQL,
the second waits for the first one's lock on the agency's quota and is then refused (see
``test_concurrency`` for how the race is made real)."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine

from evaluation.models import AnnualRating, AnnualStatus, Rating
from evaluation.services import annual as annual_services
from evaluation.tests.test_annual import DECEMBER, YEAR, final_months, good_people
from evaluation.tests.test_concurrency import HoldAfterLock, _postgresql, conflict_messages, race  # noqa: F401
from org.models import AuditEvent

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_two_leaders_deciding_the_last_excellent_slot_at_once_let_exactly_one_through(org, monkeypatch):
    with time_machine.travel(DECEMBER, tick=True):
        good_people(org, 5)  # one excellent allowed in the staff group (20 % of 5)
        proposed = []
        for person in (org.member1, org.member2):
            final_months(person, org.unit1, 95)
            proposed.append(
                annual_services.annual_propose(
                    person=person, year=YEAR, by=org.head1, rating=Rating.EXCELLENT, comment=""
                )
            )
        decide = [
            (
                lambda a=a, by=by: annual_services.annual_decide(
                    annual_rating=a, by=by, rating=Rating.EXCELLENT, reason="", version=a.version
                )
            )
            for a, by in zip(proposed, (org.leader, org.deputy), strict=True)
        ]
        hold = HoldAfterLock(monkeypatch, annual_services, "lock_quota")

        first, second = race(hold, *decide)

    assert first.error is None, first.error
    assert "at most 20%" in conflict_messages(second)[0]
    excellent = AnnualRating.objects.filter(
        year=YEAR, status=AnnualStatus.DECIDED, decided_rating="excellent"
    )
    assert excellent.count() == 1
    assert AuditEvent.objects.filter(action="annual.decided").count() == 1
    assert Decimal(excellent.get().average_score) == Decimal("95.00")
