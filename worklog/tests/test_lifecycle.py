"""Every change of a diary entry's status goes through ``worklog.lifecycle``, and each transition
does all of its duties at once: status, version, the audit event (the entry's one history), the
notification where the person must know, and the mark that the month's figures changed."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from org.models import AuditEvent, Notification, StaleMonth
from org.signals import figures_changed
from worklog import lifecycle, selectors
from worklog.models import DiaryEntry, EntryStatus
from worklog.signals import entries_submitted
from worklog.tests.factories import DiaryEntryFactory

MONDAY = datetime.date(2026, 3, 9)
MARCH = datetime.date(2026, 3, 1)


def entry_in(status, org, diary, **fields) -> DiaryEntry:
    return DiaryEntryFactory(
        person=org.member1,
        unit=org.unit1,
        stage=diary.budget_intake,
        date=MONDAY,
        status=status,
        evidence_ref="12/STC-NS",
        **fields,
    )


def only_event(entry: DiaryEntry) -> AuditEvent:
    events = list(AuditEvent.objects.filter(object_type="diaryentry", object_id=entry.pk))
    assert len(events) == 1, events
    return events[0]


def assert_month_marked(entry: DiaryEntry, callbacks, announced) -> None:
    """The month is marked in the transaction; its announcement waits for the commit."""
    assert StaleMonth.objects.filter(agency=entry.agency, month=MARCH).exists()
    assert announced["months"] == []
    for callback in callbacks:
        callback()
    assert set().union(*announced["months"]) == {(entry.agency_id, MARCH)}


@pytest.fixture
def announced():
    """The months announced after each commit, and the entries announced at submission."""
    seen = {"months": [], "submitted": []}

    def on_figures(months, **_kwargs):
        seen["months"].append(months)

    def on_submitted(entries, **_kwargs):
        seen["submitted"].append([e.pk for e in entries])

    figures_changed.connect(on_figures, dispatch_uid="test.on_figures")
    entries_submitted.connect(on_submitted, dispatch_uid="test.on_submitted")
    yield seen
    figures_changed.disconnect(dispatch_uid="test.on_figures")
    entries_submitted.disconnect(dispatch_uid="test.on_submitted")


def test_submit_moves_drafts_to_submitted_with_every_duty(
    org, diary, frozen_now, announced, django_capture_on_commit_callbacks
):
    entry = entry_in(EntryStatus.DRAFT, org, diary)

    with django_capture_on_commit_callbacks() as callbacks:
        count = lifecycle.entries_submit(person=org.member1, start=MONDAY, end=MONDAY, by=org.member1)

    entry.refresh_from_db()
    assert (count, entry.status, entry.version) == (1, EntryStatus.SUBMITTED, 2)
    assert [e.actor for e in selectors.entry_history(entry)] == [org.member1]
    event = only_event(entry)
    assert (event.action, event.actor, event.before, event.after) == (
        "entry.submitted",
        org.member1,
        {"status": "draft"},
        {"status": "submitted"},
    )
    assert announced["submitted"] == [[entry.pk]]
    assert_month_marked(entry, callbacks, announced)
    # Nobody needs a notification for their own submission.
    assert not Notification.objects.exists()


def test_submit_of_someone_elses_diary_is_refused_and_changes_nothing(org, diary, frozen_now):
    entry = entry_in(EntryStatus.DRAFT, org, diary)

    with pytest.raises(PermissionDenied, match="người sở hữu"):
        lifecycle.entries_submit(person=org.member1, start=MONDAY, end=MONDAY, by=org.head1)

    entry.refresh_from_db()
    assert (entry.status, entry.version) == (EntryStatus.DRAFT, 1)
    assert not AuditEvent.objects.exists()
    assert not StaleMonth.objects.exists()


def test_approve_records_the_reviewer_and_marks_with_every_duty(
    org, diary, frozen_now, announced, django_capture_on_commit_callbacks
):
    entry = entry_in(EntryStatus.SUBMITTED, org, diary)

    with django_capture_on_commit_callbacks() as callbacks:
        lifecycle.entries_approve(
            approvals={entry.pk: lifecycle.Approval(version=1, major_errors=1, delays=2)}, by=org.head1
        )

    entry.refresh_from_db()
    assert (entry.status, entry.version, entry.reviewed_by) == (EntryStatus.APPROVED, 2, org.head1)
    assert (entry.major_errors, entry.delays) == (1, 2)
    assert [e.actor for e in selectors.entry_history(entry)] == [org.head1]
    event = only_event(entry)
    assert (event.action, event.actor, event.person) == ("entry.approved", org.head1, org.member1)
    assert event.after == {"status": "approved", "major_errors": 1, "delays": 2}
    assert_month_marked(entry, callbacks, announced)
    assert not Notification.objects.exists()


def test_return_tells_the_person_why_with_every_duty(
    org, diary, frozen_now, announced, django_capture_on_commit_callbacks
):
    entry = entry_in(EntryStatus.SUBMITTED, org, diary)

    with django_capture_on_commit_callbacks() as callbacks:
        lifecycle.entry_return(entry=entry, by=org.head1, reason="Thiếu số văn bản", version=1)

    entry.refresh_from_db()
    assert (entry.status, entry.version, entry.return_reason) == (EntryStatus.RETURNED, 2, "Thiếu số văn bản")
    [latest] = selectors.entry_history(entry)
    assert (latest.actor, latest.reason) == (org.head1, "Thiếu số văn bản")
    event = only_event(entry)
    assert (event.action, event.actor, event.reason) == ("entry.returned", org.head1, "Thiếu số văn bản")
    notification = Notification.objects.get()
    assert notification.recipient == org.member1
    assert "Thiếu số văn bản" in notification.body
    assert_month_marked(entry, callbacks, announced)


def test_reopen_returns_an_approved_entry_with_every_duty(
    org, diary, frozen_now, announced, django_capture_on_commit_callbacks
):
    entry = entry_in(EntryStatus.APPROVED, org, diary, reviewed_by=org.head1)

    with django_capture_on_commit_callbacks() as callbacks:
        lifecycle.entry_reopen(entry=entry, by=org.hr, reason="Số văn bản nhập nhầm")

    entry.refresh_from_db()
    assert (entry.status, entry.version, entry.reviewed_by) == (EntryStatus.RETURNED, 2, None)
    assert "Số văn bản nhập nhầm" in entry.return_reason
    [latest] = selectors.entry_history(entry)
    assert (latest.actor, latest.reason) == (org.hr, "Số văn bản nhập nhầm")
    event = only_event(entry)
    assert (event.action, event.before, event.after) == (
        "entry.reopened",
        {"status": "approved"},
        {"status": "returned"},
    )
    assert Notification.objects.get().recipient == org.member1
    assert_month_marked(entry, callbacks, announced)


def test_an_objective_cause_lifts_the_marks_with_every_duty(
    org, diary, frozen_now, announced, django_capture_on_commit_callbacks
):
    entry = entry_in(EntryStatus.APPROVED, org, diary, major_errors=1)

    with django_capture_on_commit_callbacks() as callbacks:
        lifecycle.entry_exempt(entry=entry, by=org.leader, reason="Mất điện cả ngày")

    entry.refresh_from_db()
    assert (entry.objective_cause, entry.objective_cause_by, entry.version) == (
        "Mất điện cả ngày",
        org.leader,
        2,
    )
    assert entry.status == EntryStatus.APPROVED
    assert [(e.actor, e.reason) for e in selectors.entry_history(entry)] == [(org.leader, "Mất điện cả ngày")]
    event = only_event(entry)
    assert (event.action, event.actor, event.after) == (
        "entry.exempted",
        org.leader,
        {"objective_cause": "Mất điện cả ngày"},
    )
    assert_month_marked(entry, callbacks, announced)


def test_an_objective_cause_is_only_for_a_leader_of_the_agency(org, diary, frozen_now):
    entry = entry_in(EntryStatus.APPROVED, org, diary, delays=1)

    with pytest.raises(PermissionDenied, match="lãnh đạo cơ quan"):
        lifecycle.entry_exempt(entry=entry, by=org.head1, reason="Mất điện")
    with pytest.raises(ValidationError, match="nguyên nhân khách quan"):
        lifecycle.entry_exempt(entry=entry, by=org.leader, reason="   ")

    entry.refresh_from_db()
    assert (entry.objective_cause, entry.version) == ("", 1)
    assert not AuditEvent.objects.exists()


def test_a_transition_that_fails_leaves_no_mark_and_no_event(org, diary, frozen_now):
    entry = entry_in(EntryStatus.SUBMITTED, org, diary)

    with pytest.raises(ValidationError, match="Không mục nào được duyệt"):
        lifecycle.entries_approve(approvals={entry.pk: lifecycle.Approval(version=7)}, by=org.head1)

    entry.refresh_from_db()
    assert (entry.status, entry.version) == (EntryStatus.SUBMITTED, 1)
    assert not AuditEvent.objects.exists()
    assert not StaleMonth.objects.exists()


def test_a_caller_rule_refuses_the_whole_approval_after_the_reviewer_check(org, diary, frozen_now):
    entries = [entry_in(EntryStatus.SUBMITTED, org, diary) for _ in range(2)]
    approvals = {e.pk: lifecycle.Approval(version=e.version) for e in entries}
    seen = []

    def refuse(locked):
        seen.extend(locked)
        return [f"{locked[-1].pk} không được duyệt"]

    with pytest.raises(PermissionDenied):
        lifecycle.entries_approve(approvals=approvals, by=org.head2, refuse=refuse)
    assert seen == []  # an outsider never reaches the rule
    with pytest.raises(ValidationError, match=f"{entries[-1].pk} không được duyệt"):
        lifecycle.entries_approve(approvals=approvals, by=org.head1, refuse=refuse)

    assert [e.pk for e in seen] == [e.pk for e in entries]
    assert set(DiaryEntry.objects.values_list("status", "version")) == {(EntryStatus.SUBMITTED, 1)}
    assert not AuditEvent.objects.exists()
    assert not StaleMonth.objects.exists()
