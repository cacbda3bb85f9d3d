"""Approve and return with the broker down: the user is told it worked, and nothing is lost for good.

The follow-up work is enqueued after the commit; an unreachable broker must fail fast, be logged,
and leave in the database what the sweeper needs (the ``StaleMonth`` mark of the month).
"""

import logging
import time

import pytest
from django.urls import reverse

from kpi_portal import periods
from org.models import Notification, StaleMonth
from worklog.models import EntryStatus

pytestmark = pytest.mark.django_db
QUEUE = reverse("review:queue")
# Nothing listens on port 1: a connection there is refused at once, like a Redis that is stopped.
UNREACHABLE = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker_down():
    """The project's Celery app publishing to a broker that does not answer; restored afterwards."""
    from kpi_portal.celery import app

    # The write URL: the one tasks are published to, and one the CELERY_BROKER_URL variable does not override.
    saved = (app.conf.get("broker_write_url"), app.conf.task_always_eager)
    app.conf.broker_write_url, app.conf.task_always_eager = UNREACHABLE, False
    app._after_fork()  # drop the pooled connections so the next publish uses the new URL
    yield app
    app.conf.broker_write_url, app.conf.task_always_eager = saved
    app._after_fork()


def test_an_approval_with_the_broker_down_is_saved_and_its_month_left_for_the_sweeper(
    client, org, review, broker_down, django_capture_on_commit_callbacks, caplog
):
    entry = review.member2_monday
    client.force_login(org.head1)
    data = {"entry": [entry.pk], f"version-{entry.pk}": entry.version, "next": QUEUE}

    started = time.monotonic()
    with (
        caplog.at_level(logging.WARNING, logger="kpi_portal.tasks"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("review:approve"), data)

    assert time.monotonic() - started < 5
    assert (response.status_code, response.url) == (302, QUEUE)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.APPROVED
    assert StaleMonth.objects.filter(agency=entry.agency, month=periods.month_start(entry.date)).exists()
    assert "recompute_stale_month" in caplog.text


def test_a_return_with_the_broker_down_keeps_the_notification_and_logs_the_lost_email(
    client, org, review, broker_down, django_capture_on_commit_callbacks, caplog
):
    entry = review.member2_monday
    client.force_login(org.head1)
    url = reverse("review:entry_return", args=[entry.pk])
    data = {f"return-{entry.pk}-reason": "Thiếu số văn bản", f"return-{entry.pk}-version": entry.version}

    started = time.monotonic()
    with (
        caplog.at_level(logging.WARNING, logger="kpi_portal.tasks"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(url, data)

    assert time.monotonic() - started < 5
    assert (response.status_code, response.url) == (302, QUEUE)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.RETURNED
    notice = Notification.objects.get(recipient=org.member2, key__startswith="entry-returned")
    assert notice.email_pending  # owed: the sweep sends it when the broker is back
    assert StaleMonth.objects.filter(agency=entry.agency, month=periods.month_start(entry.date)).exists()
    assert "send_notification_email" in caplog.text
