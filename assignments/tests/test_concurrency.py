"""The same assign form posted twice at the same moment (a double click, a retry) assigns the work once.

Two requests on two database connections: the first is paused inside ``assignments_create`` holding the
assigner's row lock; the second must be seen waiting for it in PostgreSQL before the first goes on.
"""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test import Client

from assignments import services
from assignments.models import Assignment
from conftest import require
from evaluation.tests.test_concurrency import HoldAfterLock, race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("frozen_now")]


@pytest.fixture(autouse=True)
def _postgresql():
    require(connection.vendor == "postgresql", "the concurrency tests need PostgreSQL (DATABASE_URL)")


def test_the_same_assign_form_posted_twice_at_once_assigns_the_work_once(monkeypatch, org, diary):
    data = {
        "people": [org.member1.pk, org.member2.pk],
        "work": f"s{diary.budget_review.pk}",
        "quantity": "3",
        "due_date": "17/03/2026",
        "client_token": str(uuid.uuid4()),
    }
    tabs = [Client(), Client()]
    for tab in tabs:
        tab.force_login(org.head1)
    # The first request stops once it holds the assigner's lock (its look for the form's assignments).
    hold = HoldAfterLock(monkeypatch, services, "already_assigned")

    first, second = race(
        hold, lambda: tabs[0].post("/assignments/new/", data), lambda: tabs[1].post("/assignments/new/", data)
    )

    assert (first.error, second.error) == (None, None)
    assert [tab.result.status_code for tab in (first, second)] == [302, 302]
    assert sorted(Assignment.objects.values_list("person__username", flat=True)) == ["member1", "member2"]
