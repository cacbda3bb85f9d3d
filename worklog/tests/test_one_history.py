"""A diary entry has one history, its audit events (issue 19): each change is written once, with who,
when, why and what changed, and the old django-simple-history rows were turned into such events."""

import datetime
import importlib
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from org.models import AuditEvent
from org.tests.factories import UserFactory
from worklog import lifecycle, selectors, services
from worklog.models import DiaryEntry, EntryStatus
from worklog.services import EntryInput

from .factories import DiaryEntryFactory

pytestmark = pytest.mark.usefixtures("frozen_now")  # Tuesday 10/03/2026, 09:00

MONDAY = datetime.date(2026, 3, 9)
TODAY = datetime.date(2026, 3, 10)
migration = importlib.import_module("worklog.migrations.0009_diary_history_to_audit")


def submitted(org, diary, count: int) -> list[DiaryEntry]:
    return [
        DiaryEntryFactory(person=org.member1, unit=org.unit1, stage=diary.study, date=MONDAY,
                          status=EntryStatus.SUBMITTED)
        for _ in range(count)
    ]  # fmt: skip


def approve(entries, by) -> int:
    """Approve ``entries``; returns the number of queries it took."""
    with CaptureQueriesContext(connection) as queries:
        lifecycle.entries_approve(
            approvals={e.pk: lifecycle.Approval(version=e.version) for e in entries}, by=by
        )
    return len(queries)


def test_an_approval_writes_one_audit_row_and_no_history_row(org, diary):
    entries = submitted(org, diary, 3)

    approve(entries, org.head1)

    events = AuditEvent.objects.filter(object_type="diaryentry")
    assert sorted(events.values_list("object_id", "action")) == sorted(
        (e.pk, "entry.approved") for e in entries
    )
    assert not hasattr(DiaryEntry, "history")
    assert "worklog_historicaldiaryentry" not in connection.introspection.table_names()


def test_each_approved_entry_costs_at_most_four_queries(org, diary):
    # Before (issue 19: 29 approvals in 143 queries) each entry also wrote a history row: about five.
    few = approve(submitted(org, diary, 2), org.head1)
    many = approve(submitted(org, diary, 12), org.head1)

    assert (many - few) / 10 <= 4
    assert many <= 60


def test_a_draft_edit_records_each_changed_field_old_and_new(org, diary):
    entry = services.entry_create(
        person=org.member1, day=TODAY, by=org.member1,
        data=EntryInput(stage=diary.study, quantity=Decimal(1), description="Học nghị quyết"),
    ).entry  # fmt: skip

    services.entry_update(
        entry=entry, by=org.member1, version=1,
        data=EntryInput(stage=diary.study, quantity=Decimal(2), description="Học nghị quyết",
                        evidence_ref="15/TB-STC"),
    )  # fmt: skip
    services.entry_update(  # saved again without a change: nothing to record
        entry=entry, by=org.member1, version=2,
        data=EntryInput(stage=diary.study, quantity=Decimal(2), description="Học nghị quyết",
                        evidence_ref="15/TB-STC"),
    )  # fmt: skip

    created, changed = selectors.entry_history(entry)
    assert (created.action, created.actor, created.after["description"]) == (
        "entry.created",
        org.member1,
        "Học nghị quyết",
    )
    assert (changed.action, changed.actor) == ("entry.changed", org.member1)
    assert changed.before == {"quantity": "1.00", "standard_minutes": "60.00", "evidence_ref": ""}
    assert changed.after == {"quantity": "2", "standard_minutes": "120", "evidence_ref": "15/TB-STC"}


def test_a_deleted_entry_keeps_what_it_said_in_its_history(org, diary):
    entry = services.entry_create(
        person=org.member1, day=TODAY, by=org.member1, data=EntryInput(stage=diary.study, quantity=Decimal(1))
    ).entry
    pk = entry.pk

    services.entry_delete(entry=entry, by=org.member1, version=1)

    deleted = AuditEvent.objects.get(object_type="diaryentry", object_id=pk, action="entry.deleted")
    assert (deleted.actor, deleted.person, deleted.before["status"]) == (org.member1, org.member1, "draft")
    assert deleted.before["stage"] == diary.study.pk


def row(kind, at, *, status="draft", quantity="1.00", by=1, reason=None, objective_cause=""):
    return SimpleNamespace(
        id=7, history_type=kind, history_date=at, history_user_id=by, history_change_reason=reason,
        status=status, objective_cause=objective_cause, person_id=3, agency_id=4,
        date=MONDAY, stage_id=5, quantity=Decimal(quantity), norm_minutes=60,
        standard_minutes=Decimal(quantity) * 60, estimate_minutes=None, description="", evidence_ref="",
        assignment_id=None,
    )  # fmt: skip


def test_the_migration_turns_history_rows_without_an_event_into_audit_events():
    t = datetime.datetime(2026, 3, 9, 8, tzinfo=datetime.UTC)
    minute = datetime.timedelta(minutes=1)
    rows = [
        row("+", t),
        row("~", t + minute, quantity="2.00"),  # a draft edit: only the history knew it
        row("~", t + 2 * minute, quantity="2.00", status="submitted"),  # its audit event exists
        row("~", t + 3 * hour(), quantity="2.00", status="returned", by=2, reason="Thiếu số văn bản"),
        row("-", t + 4 * hour(), quantity="2.00", status="returned"),
    ]
    existing = {
        7: [{"at": t + 2 * minute, "action": "entry.submitted", "status": "submitted", "used": False}]
    }

    events = list(migration.events_from_history(rows, existing))

    assert [(e["action"], e["actor_id"], e["at"], e["reason"]) for e in events] == [
        ("entry.created", 1, t, ""),
        ("entry.changed", 1, t + minute, ""),
        ("entry.returned", 2, t + 3 * hour(), "Thiếu số văn bản"),  # a return from before the audit trail
        ("entry.deleted", 1, t + 4 * hour(), ""),
    ]
    created, changed, returned, deleted = events
    assert created["after"]["quantity"] == "1.00" and created["after"]["stage"] == 5
    assert (changed["before"], changed["after"]) == (
        {"quantity": "1.00", "standard_minutes": "60.00"},
        {"quantity": "2.00", "standard_minutes": "120.00"},
    )
    assert (returned["before"], returned["after"]) == ({"status": "submitted"}, {"status": "returned"})
    assert deleted["before"]["status"] == "returned"
    assert {(e["object_type"], e["object_id"], e["person_id"], e["agency_id"]) for e in events} == {
        ("diaryentry", 7, 3, 4)
    }


def hour() -> datetime.timedelta:
    return datetime.timedelta(hours=1)


def test_the_admin_shows_who_changed_an_entry_when_and_why(client, org, diary, django_assert_max_num_queries):
    [entry] = submitted(org, diary, 1)
    lifecycle.entry_return(entry=entry, by=org.head1, reason="Thiếu số văn bản", version=1)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    with django_assert_max_num_queries(25):  # the history in one query
        response = client.get(reverse("admin:worklog_diaryentry_change", args=[entry.pk]))

    assert response.status_code == 200
    line = (
        f"<li>10/03/2026 09:00 · {org.head1.get_full_name()} · nhật ký bị trả lại · "
        "trạng thái: Đã nộp → Bị trả lại — Thiếu số văn bản</li>"
    )
    assert line in response.content.decode()
