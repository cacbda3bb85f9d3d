"""Approving and returning entries: only the reviewer of the day, never oneself, all or nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from org.models import AuditEvent, Notification
from org.tests.factories import DelegationFactory
from worklog import lifecycle as services
from worklog.lifecycle import Approval
from worklog.models import EntryStatus

from .fixtures import MONDAY, TUESDAY

pytestmark = pytest.mark.django_db


def approvals(*entries, **marks):
    return {e.pk: Approval(version=e.version, **marks) for e in entries}


def test_the_unit_head_approves_a_members_day_with_marks_and_it_is_audited(org, review):
    entries = review.member1_monday
    count = services.entries_approve(approvals=approvals(*entries, major_errors=1), by=org.head1)

    assert count == 2
    for entry in entries:
        entry.refresh_from_db()
        assert entry.status == EntryStatus.APPROVED
        assert entry.reviewed_by == org.head1
        assert entry.major_errors == 1
    events = AuditEvent.objects.filter(action="entry.approved", person=org.member1)
    assert events.count() == 2
    assert events.first().actor == org.head1
    assert events.first().after["status"] == "approved"


def test_nobody_approves_their_own_entries(org, review):
    with pytest.raises(PermissionDenied, match="Không ai được tự duyệt"):
        services.entries_approve(approvals=approvals(review.head1_monday), by=org.head1)


def test_a_unit_head_cannot_approve_another_units_or_another_agencys_entries(org, review):
    with pytest.raises(PermissionDenied, match=r"không phải là người duyệt công việc của .+ ngày 10/03/2026"):
        services.entries_approve(approvals=approvals(review.member1_tuesday), by=org.head2)
    with pytest.raises(PermissionDenied, match=r"không phải là người duyệt công việc của .+ ngày 09/03/2026"):
        services.entries_approve(approvals=approvals(review.member_b_monday), by=org.head1)


def test_the_agency_leader_reviews_unit_heads_but_not_their_members(org, review):
    services.entries_approve(approvals=approvals(review.head1_monday), by=org.leader)
    with pytest.raises(PermissionDenied, match=r"không phải là người duyệt công việc của .+ ngày 09/03/2026"):
        services.entries_approve(approvals=approvals(review.member2_monday), by=org.leader)


def test_a_delegate_in_force_today_reviews_the_backlog_too(org, review):
    # Today is Tuesday: the delegation reaches Monday's waiting entries, dated before it started.
    DelegationFactory(delegator=org.head1, delegate=org.member2, start=TUESDAY, end=TUESDAY)
    services.entries_approve(approvals=approvals(review.member1_tuesday), by=org.member2)
    services.entries_approve(approvals=approvals(review.member1_monday[0]), by=org.member2)


def test_after_a_delegation_ended_the_delegate_keeps_only_the_days_it_covered(org, review):
    DelegationFactory(delegator=org.head1, delegate=org.member2, start=MONDAY, end=MONDAY)  # ended yesterday
    services.entries_approve(approvals=approvals(review.member1_monday[0]), by=org.member2)
    with pytest.raises(PermissionDenied, match=r"không phải là người duyệt công việc của .+ ngày 10/03/2026"):
        services.entries_approve(approvals=approvals(review.member1_tuesday), by=org.member2)


def test_one_entry_changed_meanwhile_means_nothing_is_approved(org, review):
    first, second = review.member1_monday
    stale = approvals(first, second)
    second.status = EntryStatus.RETURNED
    second.return_reason = "Sai số lượng"
    second.version += 1
    second.save()

    with pytest.raises(ValidationError) as error:
        services.entries_approve(approvals=stale, by=org.head1)

    assert "Không mục nào được duyệt" in str(error.value)
    first.refresh_from_db()
    assert first.status == EntryStatus.SUBMITTED


def test_marks_out_of_range_are_refused(org, review):
    with pytest.raises(ValidationError, match="phải từ 0 đến 4"):
        services.entries_approve(approvals=approvals(review.member2_monday, delays=5), by=org.head1)


def test_returning_needs_a_reason_the_person_then_reads(org, review):
    entry = review.member2_monday
    with pytest.raises(ValidationError, match="Nêu lý do trả lại"):
        services.entry_return(entry=entry, by=org.head1, reason="   ", version=entry.version)

    services.entry_return(entry=entry, by=org.head1, reason="Thiếu số văn bản", version=entry.version)

    entry.refresh_from_db()
    assert entry.status == EntryStatus.RETURNED
    assert entry.return_reason == "Thiếu số văn bản"
    note = Notification.objects.get(recipient=org.member2)
    assert "Thiếu số văn bản" in note.body
    assert AuditEvent.objects.get(action="entry.returned").reason == "Thiếu số văn bản"


def test_a_returned_entry_cannot_be_returned_or_approved_again_from_a_stale_page(org, review):
    entry = review.member2_monday
    seen = entry.version
    services.entry_return(entry=entry, by=org.head1, reason="Sai", version=seen)
    with pytest.raises(ValidationError, match=r"vừa được thay đổi \(hiện ở trạng thái bị trả lại\)"):
        services.entry_return(entry=entry, by=org.head1, reason="Sai", version=seen)
    with pytest.raises(ValidationError, match="Không mục nào được duyệt"):
        services.entries_approve(approvals={entry.pk: Approval(version=seen)}, by=org.head1)


def test_the_standard_minutes_are_never_touched_by_review(org, review):
    entry = review.member2_monday
    services.entries_approve(approvals=approvals(entry, delays=2), by=org.head1)
    entry.refresh_from_db()
    assert entry.standard_minutes == Decimal("360.00")
    assert entry.quantity == Decimal("1.5")
