"""Issue 16: what a delegation in force reaches (the delegator's backlog), and who is told when it
starts, ends or is cancelled. Today is Tuesday 10/03/2026 (``frozen_now``)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from org import selectors, services, tasks
from org.models import Notification
from worklog.models import DiaryEntry

from .factories import NOW, TODAY, DelegationFactory

pytestmark = pytest.mark.usefixtures("frozen_now")
LAST_WEEK = TODAY - datetime.timedelta(days=7)


def delegate(org, *, start=TODAY, end=TODAY + datetime.timedelta(days=2), to=None):
    return services.delegation_create(
        delegator=org.head1, delegate=to or org.hr, start=start, end=end, reason="Nghỉ phép", by=org.head1
    )


def notices() -> set[tuple[str, str]]:
    return set(Notification.objects.values_list("recipient__username", "key"))


def on(day):
    return time_machine.travel(NOW + datetime.timedelta(days=(day - TODAY).days), tick=False)


def test_while_in_force_the_delegate_and_the_delegator_both_review_the_backlog(org):
    backlog = DiaryEntry(person=org.member1, unit=org.unit1, agency=org.agency, date=LAST_WEEK)
    delegate(org)

    assert org.hr.has_perm("worklog.review_entry", backlog)
    assert org.head1.has_perm("worklog.review_entry", backlog)
    assert selectors.reviewee_ids(org.hr, LAST_WEEK) == selectors.reviewee_ids(org.head1, LAST_WEEK)
    assert selectors.reviewee_ids(org.hr, TODAY) == {org.member1.pk, org.member2.pk}
    # The reviewer of record (person page, monthly sheet, weekly reminder) is unchanged.
    assert selectors.reviewer_for(org.member1, LAST_WEEK) == org.head1
    assert selectors.reviewer_for(org.member1, TODAY) == org.hr


def test_the_delegate_reaches_only_what_the_delegator_reviews(org):
    delegate(org)

    # Not head2's people, nor head1's own work (the leader reviews it), nor their own.
    assert not org.hr.has_perm("worklog.review_entry", DiaryEntry(person=org.head1, date=LAST_WEEK))
    assert selectors.reviewee_ids(org.hr, LAST_WEEK) == {org.member1.pk, org.member2.pk}


def test_a_delegate_who_is_one_of_the_people_never_reviews_themself(org):
    delegate(org, to=org.member2)

    assert selectors.reviewee_ids(org.member2, LAST_WEEK) == {org.member1.pk}
    assert not org.member2.has_perm("worklog.review_entry", DiaryEntry(person=org.member2, date=LAST_WEEK))


def test_after_the_end_the_backlog_is_the_delegators_alone(org):
    delegate(org, end=TODAY)

    with on(TODAY + datetime.timedelta(days=1)):
        assert selectors.reviewee_ids(org.hr, LAST_WEEK) == frozenset()
        assert selectors.reviewee_ids(org.head1, LAST_WEEK) == {org.member1.pk, org.member2.pk}
        # The day the delegation covered keeps its delegate: history is not rewritten.
        assert selectors.reviewee_ids(org.hr, TODAY) == {org.member1.pk, org.member2.pk}


def test_a_delegation_that_has_not_started_reaches_nothing_yet(org):
    delegate(org, start=TODAY + datetime.timedelta(days=1))

    assert selectors.reviewee_ids(org.hr, LAST_WEEK) == frozenset()
    assert selectors.reviewee_ids(org.hr, TODAY) == frozenset()
    assert not org.hr.has_perm("review.review_entries")


def test_creating_a_delegation_that_starts_today_tells_both_people(client, org):
    client.force_login(org.head1)
    data = {"delegate": org.hr.pk, "start": "10/03/2026", "end": "12/03/2026", "reason": "Nghỉ phép"}

    response = client.post(reverse("org:delegation_create"), data)

    assert response.status_code == 302
    delegation = org.head1.delegations_given.get()
    assert notices() == {
        ("hr", f"delegation-started:{delegation.pk}:{org.hr.pk}"),
        ("head1", f"delegation-started:{delegation.pk}:{org.head1.pk}"),
    }
    body = Notification.objects.get(recipient=org.hr).body
    assert "10/03/2026" in body and "12/03/2026" in body and "tồn đọng" in body


def test_a_later_delegation_is_announced_by_the_daily_run_on_its_first_day_once(org):
    start = TODAY + datetime.timedelta(days=2)
    delegation = delegate(org, start=start, end=start)
    assert tasks.notify_delegations() == 0  # not started yet

    with on(start):
        assert tasks.notify_delegations() == 2
        assert tasks.notify_delegations() == 0
    assert notices() == {
        ("hr", f"delegation-started:{delegation.pk}:{org.hr.pk}"),
        ("head1", f"delegation-started:{delegation.pk}:{org.head1.pk}"),
    }


def test_the_daily_run_tells_both_people_the_day_after_the_end_and_makes_up_missed_days(org):
    delegation = delegate(org, end=TODAY)

    assert tasks.notify_delegations() == 0  # in force today, and its start was told at creation
    with on(TODAY + datetime.timedelta(days=3)):  # the runs of the two days before were missed
        assert tasks.notify_delegations() == 2
    assert {n for n in notices() if "ended" in n[1]} == {
        ("hr", f"delegation-ended:{delegation.pk}:{org.hr.pk}"),
        ("head1", f"delegation-ended:{delegation.pk}:{org.head1.pk}"),
    }
    assert Notification.objects.get(key__startswith="delegation-ended", recipient=org.head1).title == (
        f"Ủy quyền duyệt của {org.head1.full_name} cho {org.hr.full_name} đã kết thúc"
    )
    assert tasks.notify_delegations((TODAY + datetime.timedelta(days=4)).isoformat()) == 0


def test_cancelling_tells_both_people_and_the_daily_run_adds_nothing(client, org):
    delegation = delegate(org, end=TODAY + datetime.timedelta(days=1))
    Notification.objects.all().delete()
    client.force_login(org.head1)

    client.post(reverse("org:delegation_cancel", args=[delegation.pk]))

    assert notices() == {
        ("hr", f"delegation-cancelled:{delegation.pk}:{org.hr.pk}"),
        ("head1", f"delegation-cancelled:{delegation.pk}:{org.head1.pk}"),
    }
    assert Notification.objects.get(recipient=org.hr).title == (
        f"Ủy quyền duyệt của {org.head1.full_name} cho {org.hr.full_name} đã bị hủy"
    )
    with on(TODAY + datetime.timedelta(days=3)):
        assert tasks.notify_delegations() == 0
    assert selectors.reviewee_ids(org.hr, LAST_WEEK) == frozenset()


def test_the_daily_run_is_scheduled(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="org.tasks.notify_delegations")
    assert (task.crontab.hour, task.crontab.minute) == ("7", "0")


def test_the_daily_run_costs_a_fixed_number_of_queries(org, django_assert_max_num_queries):
    for day in range(10):
        start = TODAY - datetime.timedelta(days=day + 1)
        DelegationFactory(delegator=org.head1, delegate=org.hr, start=start, end=start)
    tasks.notify_delegations()

    with django_assert_max_num_queries(4):
        assert tasks.notify_delegations() == 0
