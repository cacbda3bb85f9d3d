"""The audit trail: every change to statuses, scores, ratings, weights and appeals is written here.

Services call ``record`` inside their transaction, so a change and its audit
row are saved together or not at all.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Any, cast

from django.db import models
from django.utils.translation import gettext as _

from kpi_portal.text import figure

from .models import Agency, AuditEvent, User

# The detail of an event whose actor exercised someone else's rights (a delegate): that person's id.
ON_BEHALF_OF = "on_behalf_of"
_principals: ContextVar[Mapping[tuple[str, int], int] | None] = ContextVar("audit_principals", default=None)

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DECIMAL = re.compile(r"-?\d+\.\d+")


def _plain(value: Any) -> Any:
    """JSON-friendly copy of a value (decimals as strings keep their exact digits)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


def record(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    agency: Agency | None = None,
    person: User | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    save: bool = True,
) -> AuditEvent:
    """Write one audit event; ``agency`` and ``person`` default to the target's own (an entry's).

    Inside ``on_behalf``, an event about one of its objects also names whose rights the actor used.
    ``save=False`` returns it unsaved (``record_all`` writes several at once).
    """
    object_type = cast(str, target._meta.model_name)  # None only for abstract models
    after = dict(after or {})
    principal = (_principals.get() or {}).get((object_type, target.pk))
    if principal is not None and (actor is None or principal != actor.pk):
        after[ON_BEHALF_OF] = principal
    event = AuditEvent(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=target.pk,
        agency_id=agency.pk if agency is not None else _id_of(target, "agency"),
        person_id=person.pk if person is not None else _id_of(target, "person"),
        before=_plain(before or {}),
        after=_plain(after),
        reason=reason,
    )
    if save:
        event.save()
    return event


def _id_of(target: models.Model, name: str) -> int | None:
    """The id of the target's ``agency`` or ``person``: its foreign key's column when it has one (no
    query to load the row), else the object a property gives."""
    key = getattr(target, f"{name}_id", None)
    if key is not None:
        return key
    value = getattr(target, name, None)
    return value.pk if isinstance(value, models.Model) else None


def record_all(
    *,
    actor: User | None,
    action: str,
    changes: Iterable[tuple[models.Model, dict[str, Any], dict[str, Any]]],
    reason: str = "",
) -> list[AuditEvent]:
    """``record`` for each (target, before, after) of one action, in one INSERT (a reviewer's day of
    entries approved at once)."""
    return AuditEvent.objects.bulk_create(
        [
            record(
                actor=actor,
                action=action,
                target=target,
                before=before,
                after=after,
                reason=reason,
                save=False,
            )
            for target, before, after in changes
        ]
    )


@contextmanager
def on_behalf(principals: Mapping[tuple[str, int], int]) -> Iterator[None]:
    """Within the block, the events about each object of ``principals`` ((model name, pk) -> a user id)
    record that the actor acted on behalf of that user (a delegate for the delegator).

    For a caller whose change is audited by a lower layer (the review queue approving through
    ``worklog.lifecycle``): the lower layer need not know about delegations.
    """
    token = _principals.set(principals)
    try:
        yield
    finally:
        _principals.reset(token)


# How the audit trail shows a change: each app describes its fields -------------------------------------
#
# ``before`` and ``after`` keep plain values (a status code, a decimal as a string) so the trail stays
# exact; the page shows them in words. Each app registers, in its ``AppConfig.ready``, the labels of its
# fields and of their coded values (by the audited object's type: an entry's "status" is not an
# appeal's), and formatters for values that need the database (the names of general criteria).

_field_labels: dict[str, Any] = {}
_value_labels: dict[tuple[str, str], Mapping[str, Any]] = {}
_formatters: dict[str, Callable[[Any], str]] = {}


def describe(
    *,
    fields: Mapping[str, Any] | None = None,
    values: Mapping[tuple[str, str], Mapping[str, Any]] | None = None,
    formatters: Mapping[str, Callable[[Any], str]] | None = None,
) -> None:
    """Register labels of audited fields, of their coded values (by object type and field), and
    formatters by field."""
    _field_labels.update(fields or {})
    _value_labels.update(values or {})
    _formatters.update(formatters or {})


def field_label(field: str) -> str:
    return str(_field_labels.get(field, field.replace("_", " ")))


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, dict):
        return "; ".join(f"{field_label(str(k))}: {_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_text(item) for item in value)
    if isinstance(value, str):
        if _ISO_DATE.fullmatch(value):
            return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
        if _DECIMAL.fullmatch(value):
            return figure(Decimal(value))
    return str(value)


def shown(event: AuditEvent, side: str) -> list[tuple[str, str]]:
    """The ``before`` or ``after`` of an event as (label, text) pairs, in words."""
    found = []
    for field, value in (getattr(event, side) or {}).items():
        if field == ON_BEHALF_OF:
            continue  # shown beside the actor (``selectors.audit_trail``: on_behalf_of_name), not a change
        coded = _value_labels.get((event.object_type, field))
        if coded is not None and isinstance(value, str) and value in coded:
            text = str(coded[value])
        elif field in _formatters:
            text = _formatters[field](value)
        else:
            text = _text(value)
        found.append((field_label(field), text))
    return found
