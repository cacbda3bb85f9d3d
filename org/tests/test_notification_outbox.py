"""The e-mail copy of a notification is owed until it is sent: a broker or mail-server outage delays it,
never loses it, and two deliverers at once send it once."""

import threading

import pytest
from django.core import mail
from django.db import connection, connections

from conftest import require
from org import notifications, tasks
from org.models import Notification
from org.notifications import notify

pytestmark = pytest.mark.django_db


def notify_with_the_broker_down(org, monkeypatch, capture, key="returned:1"):
    def broker_down(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.send_notification_email, "delay", broker_down)
    with capture(execute=True):
        notify(
            recipient=org.member1, key=key, title="Nhật ký bị trả lại", body="Thiếu số văn bản", url="/diary/"
        )
    return Notification.objects.get(key=key)


def test_a_copy_the_broker_did_not_take_is_sent_by_the_next_sweep_and_only_once(
    org, monkeypatch, django_capture_on_commit_callbacks
):
    notification = notify_with_the_broker_down(org, monkeypatch, django_capture_on_commit_callbacks)

    assert notification.email_pending and mail.outbox == []

    assert tasks.sweep_notification_emails() == 1
    assert tasks.sweep_notification_emails() == 0

    assert [(m.subject, m.to) for m in mail.outbox] == [("Nhật ký bị trả lại", ["member1@example.test"])]
    assert "/diary/" in mail.outbox[0].body
    notification.refresh_from_db()
    assert not notification.email_pending


def test_a_mail_server_that_is_down_leaves_the_copy_owed(
    org, monkeypatch, django_capture_on_commit_callbacks
):
    notify_with_the_broker_down(org, monkeypatch, django_capture_on_commit_callbacks, key="a")
    notify_with_the_broker_down(org, monkeypatch, django_capture_on_commit_callbacks, key="b")
    attempts = []

    def refused(*args, **kwargs):
        attempts.append(args)
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(notifications, "send_mail", refused)
    assert notifications.emails_sweep() == 0
    assert len(attempts) == 1  # the sweep stops at the first refusal instead of waiting on each
    assert Notification.objects.filter(email_pending=True).count() == 2

    monkeypatch.undo()
    assert notifications.emails_sweep() == 2
    assert sorted(m.subject for m in mail.outbox) == ["Nhật ký bị trả lại"] * 2


def test_nothing_is_owed_to_someone_without_an_address_or_when_no_copy_is_wanted(org):
    org.member2.email = ""
    org.member2.save(update_fields=["email"])

    notify(recipient=org.member2, key="no-address", title="A")
    notify(recipient=org.member1, key="no-copy", title="B", email=False)

    assert not Notification.objects.filter(email_pending=True).exists()


def test_the_sweep_runs_every_minute_from_beat(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="org.tasks.sweep_notification_emails")

    assert task.enabled and (task.interval.every, task.interval.period) == (1, "minutes")


@pytest.mark.django_db(transaction=True)
def test_two_deliverers_at_once_send_one_copy(org, monkeypatch):
    require(connection.vendor == "postgresql", "the concurrency tests need PostgreSQL (DATABASE_URL)")
    notification = Notification.objects.create(recipient=org.member1, key="k", title="T", email_pending=True)
    sending, release = threading.Event(), threading.Event()
    real_send = notifications.send_mail

    def slow_send(*args, **kwargs):
        sending.set()  # the first deliverer holds the row, its transaction open
        assert release.wait(30)
        return real_send(*args, **kwargs)

    monkeypatch.setattr(notifications, "send_mail", slow_send)
    outcome = {}

    def first():
        try:
            outcome["first"] = notifications.email_send(notification.pk)
        finally:
            connections.close_all()

    thread = threading.Thread(target=first)
    thread.start()
    try:
        assert sending.wait(30)
        outcome["second"] = notifications.email_send(notification.pk)  # another connection: skipped
    finally:
        release.set()
        thread.join(30)

    assert outcome == {"first": True, "second": False}
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert not notification.email_pending
