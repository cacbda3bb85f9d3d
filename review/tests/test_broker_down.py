"""Approve and return with the broker down: the user is told it worked, and nothing is lost for good.

The follow-up work is enqueued after the commit; an unreachable broker must fail fast, be logged,
and leave in the database what the sweeper needs (the ``StaleMonth`` mark of the month).
"""

import logging

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


def lost(caplog, task: str) -> int:
    """How many times the request tried to publish ``task`` and logged that it could not."""
    return sum(1 for r in caplog.records if r.name == "kpi_portal.tasks" and task in r.getMessage())


def told(client) -> str:
    """The messages the user sees on the next page."""
    return " ".join(str(m) for m in client.get(QUEUE).context["messages"])


def test_an_approval_with_the_broker_down_is_saved_and_its_month_left_for_the_sweeper(
    client, org, review, broker_down, django_capture_on_commit_callbacks, caplog
):
    entry = review.member2_monday
    client.force_login(org.head1)
    data = {"entry": [entry.pk], f"version-{entry.pk}": entry.version, "next": QUEUE}

    with (
        caplog.at_level(logging.WARNING, logger="kpi_portal.tasks"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("review:approve"), data)

    assert (response.status_code, response.url) == (302, QUEUE)
    assert "Đã duyệt 1 nhật ký." in told(client)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.APPROVED
    assert StaleMonth.objects.filter(agency=entry.agency, month=periods.month_start(entry.date)).exists()
    # One attempt to publish, given up at once and logged: no retry loop holds the request.
    assert lost(caplog, "recompute_stale_month") == 1


def test_a_return_with_the_broker_down_keeps_the_notification_and_logs_the_lost_email(
    client, org, review, broker_down, django_capture_on_commit_callbacks, caplog
):
    entry = review.member2_monday
    client.force_login(org.head1)
    url = reverse("review:entry_return", args=[entry.pk])
    data = {f"return-{entry.pk}-reason": "Thiếu số văn bản", f"return-{entry.pk}-version": entry.version}

    with (
        caplog.at_level(logging.WARNING, logger="kpi_portal.tasks"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(url, data)

    assert (response.status_code, response.url) == (302, QUEUE)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.RETURNED
    notice = Notification.objects.get(recipient=org.member2, key__startswith="entry-returned")
    assert notice.email_pending  # owed: the sweep sends it when the broker is back
    assert StaleMonth.objects.filter(agency=entry.agency, month=periods.month_start(entry.date)).exists()
    assert lost(caplog, "send_notification_email") == 1


def test_the_sweeper_brings_the_figures_of_an_approval_made_with_the_broker_down(
    client, org, review, broker_down, django_capture_on_commit_callbacks
):
    from reports.models import PersonMonth
    from reports.services import month_compute
    from reports.tasks import sweep_stale_months

    entry = review.member2_monday
    month = periods.month_start(entry.date)
    month_compute(agency=entry.agency, month=month)
    figures = PersonMonth.objects.filter(agency=entry.agency, month=month, person=org.member2)
    assert figures.get().approved_minutes == 0
    client.force_login(org.head1)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("review:approve"), {"entry": [entry.pk], f"version-{entry.pk}": entry.version})
    assert figures.get().approved_minutes == 0  # nothing recomputed: the task was never sent

    assert sweep_stale_months() == 1

    assert figures.get().approved_minutes == entry.standard_minutes
    assert figures.get().pending_count == 0
    assert not StaleMonth.objects.filter(agency=entry.agency, month=month).exists()
