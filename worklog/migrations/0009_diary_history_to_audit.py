"""The diary's django-simple-history rows become audit events (issue 19: one history, not three copies).

Every status change already wrote its audit event beside its historical row: such rows are
matched to their event (same entry, same new status or the exemption, written within minutes)
and left out. What only the history knew (an entry created, edited by its owner, deleted, or a
change from before the audit trail) becomes an audit event with the row's time, user, reason and
the fields it changed, before and after. ``0010`` then drops the historical table.

Reversing it does nothing: the events stay (the trail is append-only) and ``0010`` reversed gives
back an empty historical table.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.db import migrations

BATCH = 1000
# A transition saves the entry and writes its event in one transaction: moments apart.
SAME_CHANGE = datetime.timedelta(minutes=10)
# The owner's fields, as ``worklog.services.CONTENT_FIELDS`` records them (objects by id).
CONTENT = (
    ("date", "date"),
    ("stage", "stage_id"),
    ("quantity", "quantity"),
    ("norm_minutes", "norm_minutes"),
    ("standard_minutes", "standard_minutes"),
    ("estimate_minutes", "estimate_minutes"),
    ("description", "description"),
    ("evidence_ref", "evidence_ref"),
    ("assignment", "assignment_id"),
)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def _content(row: Any) -> dict[str, Any]:
    return {name: _plain(getattr(row, attname, None)) for name, attname in CONTENT}


def _transition(before: str, after: str) -> str:
    if after == "submitted":
        return "entry.included" if before == "excluded" else "entry.submitted"
    if after == "returned":
        return "entry.reopened" if before == "approved" else "entry.returned"
    return {"approved": "entry.approved", "excluded": "entry.excluded"}.get(after, "entry.changed")


def _matched(events: list[dict[str, Any]], row: Any, *, status: str | None, action: str | None) -> bool:
    """An audit event not yet matched that records the change of ``row`` (the nearest in time)."""
    found = [
        e
        for e in events
        if not e["used"]
        and abs(e["at"] - row.history_date) <= SAME_CHANGE
        and ((status is not None and e["status"] == status) or (action is not None and e["action"] == action))
    ]
    if not found:
        return False
    min(found, key=lambda e: abs(e["at"] - row.history_date))["used"] = True
    return True


def events_from_history(
    rows: Iterable[Any], existing: dict[int, list[dict[str, Any]]]
) -> Iterator[dict[str, Any]]:
    """The audit events (as field values) for historical rows of entries, ordered by entry and time,
    that no event in ``existing`` (by entry id: at, action, the status after) already records."""
    previous: Any = None
    for row in rows:
        if previous is not None and previous.id != row.id:
            previous = None
        event: dict[str, Any] = {"before": {}, "after": {}}
        reason = row.history_change_reason or ""
        if row.history_type == "+":
            event.update(action="entry.created", after=_content(row))
        elif row.history_type == "-":
            event.update(action="entry.deleted", before={**_content(row), "status": row.status})
        elif previous is not None and previous.status != row.status:
            if _matched(existing.get(row.id, []), row, status=row.status, action=None):
                previous = row
                continue
            event.update(
                action=_transition(previous.status, row.status),
                before={"status": previous.status},
                after={"status": row.status},
            )
        elif previous is not None and previous.objective_cause != row.objective_cause:
            if _matched(existing.get(row.id, []), row, status=None, action="entry.exempted"):
                previous = row
                continue
            event.update(
                action="entry.exempted",
                before={"objective_cause": previous.objective_cause},
                after={"objective_cause": row.objective_cause},
            )
            reason = reason or row.objective_cause
        else:
            old = _content(previous) if previous is not None else {}
            new = _content(row)
            changed = [name for name in new if old.get(name) != new[name]]
            previous = row
            if not changed:
                continue  # saved without a change the owner made
            event.update(
                action="entry.changed",
                before={name: old[name] for name in changed if name in old},
                after={name: new[name] for name in changed},
            )
        previous = row
        yield {
            **event,
            "at": row.history_date,
            "actor_id": row.history_user_id,
            "object_type": "diaryentry",
            "object_id": row.id,
            "agency_id": row.agency_id,
            "person_id": row.person_id,
            "reason": reason,
        }


def history_to_audit(apps, schema_editor):
    Historical = apps.get_model("worklog", "HistoricalDiaryEntry")
    AuditEvent = apps.get_model("org", "AuditEvent")
    User = apps.get_model("org", "User")
    Agency = apps.get_model("org", "Agency")
    at = AuditEvent._meta.get_field("at")
    at.auto_now_add = False  # the event keeps the time of the change, not of the migration
    try:
        last = 0
        while True:
            ids = list(
                Historical.objects.filter(id__gt=last)
                .order_by("id")
                .values_list("id", flat=True)
                .distinct()[:BATCH]
            )
            if not ids:
                break
            last = ids[-1]
            existing: dict[int, list[dict[str, Any]]] = {}
            for event in AuditEvent.objects.filter(object_type="diaryentry", object_id__in=ids).values(
                "object_id", "at", "action", "after"
            ):
                existing.setdefault(event["object_id"], []).append(
                    {
                        "at": event["at"],
                        "action": event["action"],
                        "status": (event["after"] or {}).get("status"),
                        "used": False,
                    }
                )
            rows = Historical.objects.filter(id__in=ids).order_by("id", "history_date", "history_id")
            found = list(events_from_history(rows.iterator(chunk_size=BATCH), existing))
            # A deleted entry's person or agency may be gone since: the event keeps the entry's id.
            users = set(
                User.objects.filter(pk__in={e["person_id"] for e in found}).values_list("pk", flat=True)
            )
            agencies = set(
                Agency.objects.filter(pk__in={e["agency_id"] for e in found}).values_list("pk", flat=True)
            )
            AuditEvent.objects.bulk_create(
                [
                    AuditEvent(
                        **{
                            **e,
                            "person_id": e["person_id"] if e["person_id"] in users else None,
                            "agency_id": e["agency_id"] if e["agency_id"] in agencies else None,
                        }
                    )
                    for e in found
                ],
                batch_size=BATCH,
            )
    finally:
        at.auto_now_add = True


class Migration(migrations.Migration):
    dependencies = [
        ("worklog", "0008_entry_excluded"),
        ("org", "0003_audit_trail"),
    ]

    operations = [migrations.RunPython(history_to_audit, migrations.RunPython.noop, elidable=True)]
