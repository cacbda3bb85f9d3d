"""The units of each deputy director's field (``Supervision``): written with their audit event, read by date.

A deputy director (phó giám đốc) is in charge of a field of the agency's work, and so of some of its
units; Decree 335/2025 scores the deputy on the units of that field (docs/scoring.md, "Leaders").
The administrator records the field in the admin; every change goes through ``supervision_save``.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from kpi_portal.history import set_history_user

from .audit import record
from .models import Supervision, Unit, User


def _snapshot(supervision: Supervision) -> dict[str, object]:
    # The deputy is the event's person; the unit by name, as the audit trail shows it in words.
    return {
        "unit": str(supervision.unit),
        "start": supervision.start,
        "end": supervision.end,
        "note": supervision.note,
    }


@transaction.atomic
def supervision_save(*, supervision: Supervision, by: User | None, reason: str = "") -> Supervision:
    """Save a new or changed unit of a deputy's field after its checks (``Supervision.clean``), audited.

    An end date is how a unit leaves the field: the rows are never deleted, so a past month is still
    scored on the field the deputy had then.
    """
    before = {}
    if supervision.pk is not None:
        before = _snapshot(
            Supervision.objects.select_for_update(of=("self",)).select_related("unit").get(pk=supervision.pk)
        )
    # The deputy's rows are written one at a time, so two overlapping ones are never both accepted.
    User.objects.select_for_update().filter(pk=supervision.person_id).values_list("pk", flat=True).first()
    supervision.full_clean()
    set_history_user(supervision, by=by, reason=reason or None)
    supervision.save()
    unit = Unit.objects.select_related("agency").get(pk=supervision.unit_id)
    ended = bool(before) and before.get("end") is None and supervision.end is not None
    record(
        actor=by,
        action="supervision.ended" if ended else "supervision.recorded",
        target=supervision,
        agency=unit.agency,
        person=supervision.person,
        before=before,
        after=_snapshot(supervision),
        reason=reason,
    )
    return supervision


def supervised_unit_ids(person_id: int, on: datetime.date) -> list[int]:
    """The units of the deputy's field on ``on``."""
    return list(
        Supervision.objects.active_on(on)
        .filter(person_id=person_id)
        .order_by("unit__code")
        .values_list("unit_id", flat=True)
    )
