"""Reminders: to those who logged nothing, once; to reviewers with stale submissions, once a week."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from org.models import Notification
from worklog import tasks
from worklog.models import EntryStatus

from .factories import DiaryEntryFactory

TUESDAY = "2026-03-10"
MONDAY = datetime.date(2026, 3, 9)


def recipients(prefix: str) -> set[str]:
    return set(
        Notification.objects.filter(key__startswith=prefix).values_list("recipient__username", flat=True)
    )


def test_people_who_logged_nothing_on_the_previous_working_day_are_reminded(
    org, diary, eager_celery, django_capture_on_commit_callbacks
):
    for person in (org.member1, org.leader):
        DiaryEntryFactory(person=person, unit=person.memberships.get().unit, stage=diary.study, date=MONDAY)

    with django_capture_on_commit_callbacks(execute=True):
        sent = tasks.remind_missing_entries(on=TUESDAY)

    agency_a = {"deputy", "head1", "member2", "head2", "hr", "catalog", "orphan"}
    assert recipients("missing-entry") == agency_a | {"leader_b", "member_b"}
    assert sent == 9
    assert {m.to[0] for m in mail.outbox} == {
        f"{u}@example.test" for u in agency_a | {"leader_b", "member_b"}
    }
    assert Notification.objects.get(recipient=org.member2).url == "/diary/day/2026-03-09/"


def test_a_reminder_is_sent_once_however_often_it_runs(
    org, diary, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.remind_missing_entries(on=TUESDAY)
        second = tasks.remind_missing_entries(on=TUESDAY)

    assert (first, second) == (11, 0)
    assert len(mail.outbox) == 11


def test_no_reminder_on_a_day_off(org, diary, eager_celery):
    assert tasks.remind_missing_entries(on="2026-03-14") == 0  # Saturday
    assert tasks.remind_missing_entries(on="2026-02-17") == 0  # Tết


def test_after_a_weekend_the_reminder_is_about_friday(org, diary, eager_celery):
    tasks.remind_missing_entries(on="2026-03-09")

    assert Notification.objects.filter(key__endswith=":2026-03-06").count() == 11


def test_a_missed_run_is_made_up_by_the_next_one(org, diary, eager_celery):
    """Tuesday's run happens; Wednesday's (about Tuesday) is lost in an outage; Thursday's makes it up."""
    tasks.remind_missing_entries(on=TUESDAY)
    DiaryEntryFactory(person=org.member1, unit=org.unit1, stage=diary.study, date=datetime.date(2026, 3, 10))

    sent = tasks.remind_missing_entries(on="2026-03-12")

    assert sent == 11 + 10  # Wednesday: everyone; Tuesday: all but member1
    assert Notification.objects.filter(key__endswith=":2026-03-10").count() == 10
    assert Notification.objects.filter(key__endswith=":2026-03-11").count() == 11
    assert not Notification.objects.filter(key__endswith=":2026-03-06").exists()  # before the first run
    assert tasks.remind_missing_entries(on="2026-03-12") == 0


def test_an_outage_longer_than_a_week_is_not_made_up_further_back(org, diary, eager_celery):
    tasks.remind_missing_entries(on="2026-03-02")  # about Friday 27/02

    tasks.remind_missing_entries(on="2026-03-16")

    days = {key.rsplit(":", 1)[1] for key in Notification.objects.values_list("key", flat=True)}
    assert days == {"2026-02-27", "2026-03-09", "2026-03-10", "2026-03-11", "2026-03-12", "2026-03-13"}


def test_the_weekly_reminder_to_reviewers_is_tried_every_working_morning(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="worklog.tasks.remind_stale_approvals")

    assert (task.crontab.hour, task.crontab.minute, task.crontab.day_of_week) == ("8", "0", "1-5")


def test_reviewers_with_entries_waiting_more_than_two_working_days_are_reminded_weekly(
    org, diary, eager_celery
):
    old = timezone.make_aware(datetime.datetime(2026, 3, 4, 10, 0))
    fresh = timezone.make_aware(datetime.datetime(2026, 3, 9, 10, 0))
    for day, submitted_at in ((datetime.date(2026, 3, 4), old), (MONDAY, fresh)):
        DiaryEntryFactory(
            person=org.member1, unit=org.unit1, stage=diary.study, date=day,
            status=EntryStatus.SUBMITTED, submitted_at=submitted_at,
        )  # fmt: skip
    DiaryEntryFactory(
        person=org.head2, unit=org.unit2, stage=diary.study, date=datetime.date(2026, 3, 3),
        status=EntryStatus.SUBMITTED, submitted_at=old,
    )  # fmt: skip

    assert tasks.remind_stale_approvals(on=TUESDAY) == 2
    assert tasks.remind_stale_approvals(on="2026-03-12") == 0  # same week: once
    assert recipients("stale-approvals") == {"head1", "leader"}
    assert "1" in Notification.objects.get(recipient=org.head1).body


@pytest.mark.django_db(transaction=True)
def test_the_reminders_run_on_a_real_celery_worker(celery_worker_on_redis, org, diary):
    DiaryEntryFactory(person=org.member1, unit=org.unit1, stage=diary.study, date=MONDAY)

    first = tasks.remind_missing_entries.apply_async(kwargs={"on": TUESDAY}, ignore_result=False).get(
        timeout=60
    )
    again = tasks.remind_missing_entries.apply_async(kwargs={"on": TUESDAY}, ignore_result=False).get(
        timeout=60
    )

    assert (first, again) == (10, 0)
    assert Notification.objects.filter(key__startswith="missing-entry").count() == 10
    assert "member1" not in recipients("missing-entry")
