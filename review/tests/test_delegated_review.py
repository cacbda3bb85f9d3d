"""Issue 16: a delegation in force reaches the delegator's backlog, both people are told, and what
the delegate does is audited on their behalf.

Today is Tuesday 10/03/2026 (``frozen_now``). The ``review`` fixture has member1's and member2's
entries of Monday waiting for head1: the backlog, dated before a delegation that starts today.
"""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from org import services as org_services
from org.models import AuditEvent, Notification
from org.tests.factories import NOW, MembershipFactory
from review import selectors, services
from worklog.lifecycle import Approval
from worklog.models import DiaryEntry, EntryStatus
from worklog.tests.factories import DiaryEntryFactory

from .fixtures import MONDAY, TUESDAY

pytestmark = pytest.mark.django_db
QUEUE = reverse("review:queue")
APPROVE = reverse("review:approve")
END = TUESDAY + datetime.timedelta(days=3)


def delegate_review(org, delegate, *, start=TUESDAY, end=END):
    """head1 delegates through the service, as the delegation form does."""
    return org_services.delegation_create(
        delegator=org.head1, delegate=delegate, start=start, end=end, reason="Đi công tác", by=org.head1
    )


def queued(user) -> list[int]:
    return [e.pk for d in selectors.review_queue(user).days for e in d.entries]


def approve_data(*entries):
    data = {"entry": [e.pk for e in entries], "next": QUEUE}
    for entry in entries:
        data[f"version-{entry.pk}"] = entry.version
    return data


def the_day_after(day):
    moment = NOW + datetime.timedelta(days=(day - TUESDAY).days + 1)
    return time_machine.travel(moment, tick=False)


def test_the_delegates_queue_is_the_delegators_backlog_included_and_both_are_notified(org, review):
    assert queued(org.hr) == []
    delegate_review(org, org.hr)

    backlog = [*review.member1_monday, review.member2_monday]
    assert set(queued(org.hr)) == {e.pk for e in [*backlog, review.member1_tuesday]}
    assert queued(org.hr) == queued(org.head1)
    assert selectors.pending_count(org.hr) == selectors.pending_count(org.head1) == 4
    titles = dict(Notification.objects.values_list("recipient__username", "title"))
    assert titles == {
        "hr": f"Bạn được ủy quyền duyệt thay {org.head1.full_name}",
        "head1": f"{org.hr.full_name} được ủy quyền duyệt thay bạn",
    }


def test_the_delegate_reaches_a_big_backlog_in_a_fixed_number_of_queries(
    client, org, diary, review, django_assert_max_num_queries
):
    delegate_review(org, org.hr)
    client.force_login(org.hr)
    with CaptureQueriesContext(connection) as small:
        client.get(QUEUE)
    # 197 waiting entries from 9 people, over six weeks before the delegation (the figures).
    people = [MembershipFactory(unit=org.unit1, person__username=f"p{n}").person for n in range(7)]
    people += [org.member1, org.member2]
    days = [datetime.date(2026, 1, 26) + datetime.timedelta(days=d) for d in range(42)]
    days = [d for d in days if d.weekday() < 5]
    DiaryEntry.objects.bulk_create(
        [
            DiaryEntryFactory.build(
                person=person, unit=org.unit1, stage=diary.study, date=day, status=EntryStatus.SUBMITTED
            )
            for person in people
            for day in days
        ][:193]
    )

    with django_assert_max_num_queries(len(small)):
        response = client.get(QUEUE)

    # The same count as with four entries: a delegate with an agency role (HR) reads a few more rows
    # (their tabs, the delegations menu, the second factor's device of their session: org/otp.py) than
    # a unit head, never more per entry or day.
    assert len(small) <= 27
    assert response.context["queue"].entry_count == 197
    assert response.context["queue"].people_count == 9
    assert f"Bạn đang duyệt thay {org.head1.full_name} đến hết ngày" in response.content.decode()
    assert selectors.review_queue(org.head1).entry_count == 197


def test_the_delegate_approves_a_backlog_entry_from_the_queue_on_behalf_of_the_delegator(
    client, org, review, django_assert_max_num_queries
):
    delegate_review(org, org.hr)
    entry = review.member2_monday
    client.force_login(org.hr)

    response = client.post(APPROVE, approve_data(entry))

    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.status, entry.reviewed_by) == (EntryStatus.APPROVED, org.hr)
    event = AuditEvent.objects.get(action="entry.approved", object_id=entry.pk)
    assert (event.actor, event.after["on_behalf_of"]) == (org.hr, org.head1.pk)
    # The leader reads it in words on the audit page, which stays a fixed number of queries.
    client.force_login(org.leader)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("org:audit")).content.decode()
    assert f"người được ủy quyền, thay mặt {org.head1.full_name}" in page
    assert "on_behalf_of" not in page


def test_the_delegate_returns_a_backlog_entry_and_the_return_is_audited_on_behalf(client, org, review):
    delegate_review(org, org.hr)
    entry = review.member1_monday[0]
    client.force_login(org.hr)
    url = reverse("review:entry_return", args=[entry.pk])

    assert client.get(url).status_code == 200
    response = client.post(
        url, {f"return-{entry.pk}-reason": "Thiếu số văn bản", f"return-{entry.pk}-version": entry.version}
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.RETURNED
    event = AuditEvent.objects.get(action="entry.returned", object_id=entry.pk)
    assert event.after["on_behalf_of"] == org.head1.pk


def test_the_delegator_keeps_acting_during_the_delegation_and_is_audited_as_themself(org, review):
    delegate_review(org, org.hr)

    services.entries_approve(
        approvals={
            e.pk: Approval(version=e.version) for e in [review.member1_tuesday, *review.member1_monday]
        },
        by=org.head1,
    )

    assert queued(org.hr) == queued(org.head1) == [review.member2_monday.pk]
    assert not AuditEvent.objects.filter(after__has_key="on_behalf_of").exists()


def test_once_the_delegation_ends_the_delegate_loses_the_backlog(client, org, review):
    delegate_review(org, org.hr, end=TUESDAY)
    entry = review.member2_monday

    with the_day_after(TUESDAY):
        # The day the delegation covered stays theirs (history is not rewritten); the backlog does not.
        assert queued(org.hr) == [review.member1_tuesday.pk]
        assert set(queued(org.head1)) == {entry.pk, *(e.pk for e in review.member1_monday)}
        with pytest.raises(PermissionDenied):
            services.entries_approve(approvals={entry.pk: Approval(version=entry.version)}, by=org.hr)
        client.force_login(org.hr)
        # HR still reads the entry (403, not 404) but no longer reviews it.
        assert client.get(reverse("review:entry_return", args=[entry.pk])).status_code == 403
        assert client.post(APPROVE, approve_data(entry)).status_code == 403
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED


def test_once_the_delegation_is_cancelled_the_delegate_loses_the_backlog_that_day(org, review):
    delegation = delegate_review(org, org.hr)

    org_services.delegation_cancel(delegation=delegation, by=org.head1)

    assert queued(org.hr) == []
    assert len(queued(org.head1)) == 4
    entry = review.member1_monday[0]
    with pytest.raises(PermissionDenied):
        services.entries_approve(approvals={entry.pk: Approval(version=entry.version)}, by=org.hr)


def test_a_delegate_never_reviews_their_own_entries(client, org, review):
    delegate_review(org, org.member2)
    own = review.member2_monday

    assert set(queued(org.member2)) == set(queued(org.head1)) - {own.pk}
    with pytest.raises(PermissionDenied, match="Không ai được tự duyệt"):
        services.entries_approve(approvals={own.pk: Approval(version=own.version)}, by=org.member2)
    client.force_login(org.member2)
    assert client.get(reverse("review:entry_return", args=[own.pk])).status_code == 403


@pytest.mark.parametrize(("who", "status"), [("head2", 404), ("member1", 404), ("leader_b", 404)])
def test_outsiders_still_cannot_reach_a_delegated_backlog_entry(client, org, review, who, status):
    delegate_review(org, org.hr)
    client.force_login(getattr(org, who))

    url = reverse("review:entry_return", args=[review.member2_monday.pk])
    assert client.get(url).status_code == status
    assert client.post(url, {"return-x-reason": "x"}).status_code == status


def test_a_forged_or_malformed_approval_by_the_delegate_changes_nothing(client, org, review):
    delegate_review(org, org.hr)
    client.force_login(org.hr)

    # A backlog entry with someone of another agency's slipped in: all refused.
    forged = client.post(APPROVE, approve_data(review.member2_monday, review.member_b_monday))
    malformed = client.post(APPROVE, {"entry": ["abc"]}, follow=True)

    assert forged.status_code == 403
    assert malformed.status_code == 200 and list(malformed.context["messages"])
    assert not DiaryEntry.objects.filter(status=EntryStatus.APPROVED).exists()
    assert not AuditEvent.objects.exists()


def test_a_delegation_starting_later_does_not_reach_the_backlog_yet(org, review):
    delegate_review(org, org.hr, start=TUESDAY + datetime.timedelta(days=1))

    assert queued(org.hr) == []
    assert not Notification.objects.exists()
    assert MONDAY < TUESDAY  # the backlog is older than both days
