"""The audit trail is append-only: written by the services, never changed or deleted, whatever the path."""

import datetime
import json
from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from conftest import require
from org.audit import record
from org.models import AuditEvent

from .factories import NOW, UserFactory

pytestmark = pytest.mark.django_db

APPEND_ONLY = "Không thể sửa hoặc xóa nhật ký thay đổi"  # the message of every refusal


@pytest.fixture
def event(org) -> AuditEvent:
    return record(
        actor=org.head1,
        action="entry.approved",
        target=org.unit1,
        agency=org.agency,
        person=org.member1,
        before={"status": "submitted"},
        after={"status": "approved"},
        reason="Đúng quy trình",
    )


def unchanged(event: AuditEvent) -> bool:
    stored = AuditEvent.objects.get(pk=event.pk)
    return (stored.action, stored.after, stored.reason) == (event.action, event.after, event.reason)


def test_the_orm_refuses_to_update_or_delete_audit_events_in_bulk(event):
    with pytest.raises(PermissionDenied, match=APPEND_ONLY):
        AuditEvent.objects.filter(pk=event.pk).update(reason="Sửa lại")
    with pytest.raises(PermissionDenied, match=APPEND_ONLY):
        AuditEvent.objects.all().delete()
    # bulk_update runs in the caller's transaction (no savepoint): refused, it spoils it, hence atomic().
    with pytest.raises(PermissionDenied, match=APPEND_ONLY), transaction.atomic():
        AuditEvent.objects.bulk_update([AuditEvent(pk=event.pk, reason="Sửa lại")], ["reason"])

    assert unchanged(event)


def test_the_orm_refuses_to_save_changes_to_an_audit_event_or_delete_it(event):
    stored = AuditEvent.objects.get(pk=event.pk)
    stored.after = {"status": "returned"}
    with pytest.raises(PermissionDenied, match=APPEND_ONLY):
        stored.save()
    with pytest.raises(PermissionDenied, match=APPEND_ONLY):
        stored.delete()
    with pytest.raises(PermissionDenied, match=APPEND_ONLY):
        AuditEvent.objects.update_or_create(pk=event.pk, defaults={"reason": "Sửa lại"})

    assert unchanged(event)
    assert AuditEvent.objects.count() == 1


def test_a_person_or_agency_named_in_the_trail_cannot_be_deleted_and_take_their_events_with_them(org):
    actor = UserFactory(username="auditor")
    record(actor=actor, action="scheme.changed", target=org.agency, agency=org.agency, person=None)

    with pytest.raises(ProtectedError, match=r"AuditEvent\.actor"):
        actor.delete()

    assert AuditEvent.objects.filter(actor=actor).count() == 1


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE org_auditevent SET reason = 'Sửa lại' WHERE id = %s",
        "UPDATE org_auditevent SET after = '{}'::jsonb WHERE id = %s",
        "DELETE FROM org_auditevent WHERE id = %s",
    ],
)
def test_on_postgresql_the_database_itself_refuses_to_change_or_delete_audit_events(event, sql):
    require(connection.vendor == "postgresql", "the append-only trigger exists on PostgreSQL only")

    refused = pytest.raises(DatabaseError, match="append-only")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [event.pk])

    assert unchanged(event)


def test_an_upsert_over_an_existing_audit_event_is_refused(event):
    forged = AuditEvent(
        pk=event.pk, action=event.action, object_type=event.object_type, object_id=event.object_id
    )
    forged.reason = "Sửa lại"

    with pytest.raises(PermissionDenied, match=APPEND_ONLY), transaction.atomic():
        AuditEvent.objects.bulk_create(
            [forged], update_conflicts=True, unique_fields=["id"], update_fields=["reason"]
        )

    assert unchanged(event)


def test_record_keeps_decimals_dates_and_objects_as_exact_json_safe_values(org, frozen_now):
    day = datetime.date(2026, 3, 9)
    event = record(
        actor=org.leader,
        action="evaluation.amended",
        target=org.member1,
        agency=org.agency,
        person=org.member1,
        before={"total_score": Decimal("81.40"), "month": datetime.date(2026, 3, 1), "by": org.head1},
        after={
            "total_score": Decimal("86.42"),
            "at": NOW,
            "points": {"politics": Decimal("6.00"), "ethics": Decimal("5.5")},
            "days": [day, (day, Decimal("0.25"))],
            "rating": "good",
            "missing": None,
        },
        reason="Chấp nhận một phần",
    )

    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.before == {"total_score": "81.40", "month": "2026-03-01", "by": org.head1.pk}
    assert stored.after == {
        "total_score": "86.42",
        "at": "2026-03-10T09:00:00+07:00",
        "points": {"politics": "6.00", "ethics": "5.5"},
        "days": ["2026-03-09", ["2026-03-09", "0.25"]],
        "rating": "good",
        "missing": None,
    }
    assert json.loads(json.dumps(stored.after)) == stored.after
    assert (stored.object_type, stored.object_id) == ("user", org.member1.pk)
    assert (stored.actor, stored.person, stored.agency) == (org.leader, org.member1, org.agency)
    assert stored.at == NOW


def test_record_without_before_or_after_stores_empty_objects(org):
    event = record(actor=None, action="scheme.changed", target=org.agency, agency=org.agency, person=None)

    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.before, stored.after, stored.reason, stored.actor) == ({}, {}, "", None)


@pytest.fixture
def superuser_client(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.mark.dates
def test_the_admin_gives_even_a_superuser_no_way_to_change_or_delete_audit_events(
    superuser_client, event, rf
):
    base = f"/admin/{AuditEvent._meta.app_label}/{AuditEvent._meta.model_name}/"
    request = rf.get(base)
    request.user = UserFactory(username="root")
    model_admin = admin.site.get_model_admin(AuditEvent)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)

    change = superuser_client.post(f"{base}{event.pk}/change/", {"reason": "Sửa lại"})
    delete = superuser_client.post(f"{base}{event.pk}/delete/", {"post": "yes"})
    superuser_client.post(base, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"})

    # The superuser reads the event (it is in their scope), so the refusal is a 403, not a 404.
    assert change.status_code == 403
    assert delete.status_code == 403
    assert unchanged(event)
