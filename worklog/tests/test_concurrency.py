"""The same add form posted twice at the same moment (a double click, two retries) adds one entry.

Two requests on two database connections: the first is paused inside ``entry_create`` holding
the diary's row lock; the second must be seen waiting for it in PostgreSQL before the first goes
on. SQLite serialises writers on the whole file, so this test needs PostgreSQL.
"""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from conftest import require
from evaluation.tests.test_concurrency import HoldAfterLock, race
from worklog import services
from worklog.models import DiaryEntry

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("frozen_now")]


@pytest.fixture(autouse=True)
def _postgresql():
    require(connection.vendor == "postgresql", "the concurrency tests need PostgreSQL (DATABASE_URL)")


def test_the_same_add_form_posted_twice_at_once_adds_one_entry(monkeypatch, org, diary):
    url = reverse("worklog:day", args=["2026-03-10"])
    data = {"stage": diary.study.pk, "quantity": "1", "client_token": str(uuid.uuid4())}
    tabs = [Client(), Client()]
    for tab in tabs:
        tab.force_login(org.member1)
    # The first request stops once it holds the diary's lock (its first look at the day's total).
    hold = HoldAfterLock(monkeypatch, services, "_day_minutes")

    first, second = race(hold, lambda: tabs[0].post(url, data), lambda: tabs[1].post(url, data))

    assert (first.error, second.error) == (None, None)
    assert [tab.result.status_code for tab in (first, second)] == [302, 302]
    assert DiaryEntry.objects.filter(person=org.member1).count() == 1
