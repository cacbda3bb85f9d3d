"""Writes to the work diary. Every rule of the diary lives here, with its message.

Only the owner writes their diary. Nothing is saved when a rule is broken.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from assignments.models import Assignment
from catalog import selectors as catalog_selectors
from catalog.models import Stage
from kpi_portal import standards
from kpi_portal.text import figure, short_date
from org import calendar
from org import selectors as org_selectors
from org.audit import record
from org.models import Agency, Membership, User
from org.notifications import notify

from .models import (
    DESCRIPTION_MAX,
    EVIDENCE_MAX,
    MAX_ESTIMATE_MINUTES,
    MAX_QUANTITY,
    DayReopening,
    DiaryEntry,
)


@dataclass(frozen=True)
class EntryInput:
    stage: Stage
    quantity: Decimal
    estimate_minutes: int | None = None
    description: str = ""
    evidence_ref: str = ""
    assignment: Assignment | None = None


@dataclass(frozen=True)
class SaveResult:
    entry: DiaryEntry
    day_minutes: Decimal

    @property
    def over_eight_hours(self) -> bool:
        return standards.above_daily_norm(self.day_minutes)


def _require_owner(person: User, by: User) -> None:
    if not by.has_perm("worklog.write_diary", person):
        raise PermissionDenied(_("Only the owner can write a diary."))


def earliest_open_day(agency: Agency, today: datetime.date) -> datetime.date:
    """The oldest day staff of the agency may still log without a supervisor reopening it."""
    return calendar.working_days_back(agency, today, agency.backdate_working_days)


def day_is_open(person: User, agency: Agency, day: datetime.date) -> bool:
    today = org_selectors.today()
    if day > today:
        return False
    if day >= earliest_open_day(agency, today):
        return True
    return DayReopening.objects.filter(person=person, date=day).exists()


def _membership(person: User, day: datetime.date) -> Membership:
    membership = org_selectors.membership_on(person, day)
    if membership is None:
        raise ValidationError(_("You did not belong to any unit on %(day)s.") % {"day": short_date(day)})
    return membership


def _day_minutes(person: User, day: datetime.date, exclude: DiaryEntry | None = None) -> Decimal:
    entries = DiaryEntry.objects.filter(person=person, date=day)
    if exclude is not None:
        entries = entries.exclude(pk=exclude.pk)
    return entries.aggregate(total=Sum("standard_minutes"))["total"] or Decimal(0)


def _check(
    person: User, day: datetime.date, data: EntryInput, exclude: DiaryEntry | None = None
) -> Membership:
    """Every rule for an entry's content; raises one ValidationError with all the problems."""
    membership = _membership(person, day)
    agency = membership.unit.agency
    errors: dict[str, list[str]] = {}

    def error(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    today = org_selectors.today()
    if day > today:
        error("date", _("You cannot log work for a day in the future."))
    elif not day_is_open(person, agency, day):
        error(
            "date",
            _(
                "%(day)s is more than %(count)s working days ago. "
                "Ask your supervisor to reopen the day before logging it."
            )
            % {"day": short_date(day), "count": agency.backdate_working_days},
        )
    task = data.stage.task
    if not catalog_selectors.tasks_in_force(agency, day).filter(pk=task.pk).exists():
        error(
            "stage", _("This task is not in the catalog that applies on %(day)s.") % {"day": short_date(day)}
        )
    elif not task.active:
        error("stage", _("This task is no longer in use."))
    assignment = data.assignment
    if assignment is not None:
        if assignment.person_id != person.pk or not assignment.is_open:
            error("assignment", _("This assignment is not one of your open assignments."))
        elif assignment.task.code != task.code or (
            assignment.stage is not None and assignment.stage.order != data.stage.order
        ):
            error(
                "assignment",
                _("The assignment is for %(work)s: log that task to count toward it.")
                % {
                    "work": assignment.task.code
                    + (f" · {assignment.stage.order}. {assignment.stage.name}" if assignment.stage else "")
                },
            )
    if not (Decimal(0) < data.quantity <= MAX_QUANTITY):
        error("quantity", _("The quantity must be more than 0 and at most %(max)s.") % {"max": MAX_QUANTITY})
    elif cast(int, data.quantity.as_tuple().exponent) < -2:  # an int: the quantity is finite
        error("quantity", _("The quantity has at most two decimals."))
    if data.estimate_minutes is not None and not (0 <= data.estimate_minutes <= MAX_ESTIMATE_MINUTES):
        error(
            "estimate_minutes",
            _("The estimate must be between 0 and %(max)s minutes.") % {"max": MAX_ESTIMATE_MINUTES},
        )
    if len(data.description) > DESCRIPTION_MAX:
        error(
            "description", _("The description is longer than %(max)s characters.") % {"max": DESCRIPTION_MAX}
        )
    if len(data.evidence_ref) > EVIDENCE_MAX:
        error("evidence_ref", _("The evidence is longer than %(max)s characters.") % {"max": EVIDENCE_MAX})
    if not errors:
        total = _day_minutes(person, day, exclude) + data.stage.norm_minutes * data.quantity
        if total > agency.daily_cap_minutes:
            error(
                "quantity",
                _(
                    "This would make %(hours)s standard hours on %(day)s, "
                    "above the limit of %(cap)s hours a day. Check the quantity."
                )
                % {
                    "hours": figure(total / standards.MINUTES_AN_HOUR, 1),
                    "day": short_date(day),
                    "cap": figure(Decimal(agency.daily_cap_minutes) / standards.MINUTES_AN_HOUR, 1),
                },
            )
    if errors:
        raise ValidationError(errors)
    return membership


# What the owner writes in an entry, as the audit trail keeps it (objects by id): the entry's history
# is its audit events, each with the fields it changed, before and after.
CONTENT_FIELDS = (
    "date",
    "stage",
    "quantity",
    "norm_minutes",
    "standard_minutes",
    "estimate_minutes",
    "description",
    "evidence_ref",
    "assignment",
)


def _content(entry: DiaryEntry) -> dict[str, Any]:
    return {
        name: getattr(entry, f"{name}_id" if name in ("stage", "assignment") else name)
        for name in CONTENT_FIELDS
    }


def _fill(entry: DiaryEntry, data: EntryInput, membership: Membership) -> None:
    entry.agency = membership.unit.agency
    entry.unit = membership.unit
    entry.task = data.stage.task
    entry.stage = data.stage
    entry.assignment = data.assignment
    entry.quantity = data.quantity
    # The norm is copied: the entry keeps it whatever happens to the catalog later.
    entry.norm_minutes = data.stage.norm_minutes
    entry.standard_minutes = data.stage.norm_minutes * data.quantity
    entry.estimate_minutes = data.estimate_minutes
    entry.description = data.description.strip()
    entry.evidence_ref = data.evidence_ref.strip()
    entry.is_overtime = not calendar.is_working_day(entry.agency, entry.date)


@transaction.atomic
def entry_create(
    *, person: User, day: datetime.date, data: EntryInput, by: User, client_token: uuid.UUID | None = None
) -> SaveResult:
    """Add an entry to ``person``'s diary on ``day``.

    ``client_token`` identifies the form that was filled in: posted again (a double click, a retry
    after an error page), it returns the entry that form created instead of adding a second one.
    The diary's row lock makes the second request wait for the first and then see its entry; the
    unique constraint ``entry_created_once_per_form`` keeps it so in the database.
    """
    _require_owner(person, by)
    User.objects.select_for_update().filter(pk=person.pk).first()  # one writer per diary at a time
    if client_token is not None:
        existing = DiaryEntry.objects.filter(person=person, client_token=client_token).first()
        if existing is not None:
            return SaveResult(existing, _day_minutes(person, existing.date))
    membership = _check(person, day, data)
    entry = DiaryEntry(person=person, date=day, client_token=client_token)
    _fill(entry, data, membership)
    entry.save()
    record(actor=by, action="entry.created", target=entry, after=_content(entry))
    return SaveResult(entry, _day_minutes(person, day))


def _locked(entry: DiaryEntry, version: int | None) -> DiaryEntry:
    current = DiaryEntry.objects.select_for_update().select_related("task", "stage").get(pk=entry.pk)
    if version is not None and current.version != version:
        raise ValidationError(
            _(
                "This entry was changed in the meantime (perhaps in another window). "
                "Reload the page and try again."
            )
        )
    return current


def _locked_editable(entry: DiaryEntry, version: int | None, by: User) -> DiaryEntry:
    """The owner's entry, locked, at the version they saw, and still a draft or returned."""
    _require_owner(entry.person, by)
    entry = _locked(entry, version)
    if not entry.is_editable:
        raise ValidationError(
            _("This entry is %(status)s and can no longer be changed.")
            % {"status": entry.get_status_display().lower()}
        )
    return entry


@transaction.atomic
def entry_update(*, entry: DiaryEntry, data: EntryInput, by: User, version: int | None) -> SaveResult:
    """Change a draft or a returned entry; ``version`` is the one the person saw."""
    entry = _locked_editable(entry, version, by)
    membership = _check(entry.person, entry.date, data, exclude=entry)
    old = _content(entry)
    _fill(entry, data, membership)
    entry.version += 1
    entry.save()
    new = _content(entry)
    changed = [name for name in CONTENT_FIELDS if old[name] != new[name]]
    if changed:
        record(
            actor=by,
            action="entry.changed",
            target=entry,
            before={name: old[name] for name in changed},
            after={name: new[name] for name in changed},
        )
    return SaveResult(entry, _day_minutes(entry.person, entry.date))


@transaction.atomic
def entry_delete(*, entry: DiaryEntry, by: User, version: int | None) -> None:
    entry = _locked_editable(entry, version, by)
    # Written before the row goes: the event keeps the entry's id and what it said.
    record(actor=by, action="entry.deleted", target=entry, before={**_content(entry), "status": entry.status})
    entry.delete()


@transaction.atomic
def day_reopen(*, person: User, day: datetime.date, by: User, reason: str) -> DayReopening:
    """Let a person log a day older than the back-dating window (their reviewer, HR or an administrator)."""
    _membership(person, day)  # a day the person belonged to no unit is not theirs to log
    if not by.has_perm("worklog.reopen_day", DayReopening(person=person, date=day)):
        if by.pk == person.pk:
            raise PermissionDenied(_("Nobody reopens their own days."))
        raise PermissionDenied(_("Only the person's reviewer, HR or an administrator can reopen a day."))
    if day > org_selectors.today():
        raise ValidationError({"date": [_("You cannot log work for a day in the future.")]})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for reopening.")]})
    reopening, created = DayReopening.objects.get_or_create(
        person=person, date=day, defaults={"reason": reason, "reopened_by": by}
    )
    if created:
        notify(
            recipient=person,
            key=f"day-reopened:{person.pk}:{day.isoformat()}",
            title=_("%(day)s was reopened for you") % {"day": short_date(day)},
            body=_("%(name)s reopened the day: %(reason)s") % {"name": by.get_full_name(), "reason": reason},
            url=reverse("worklog:day", args=[day.isoformat()]),
        )
    return reopening


@transaction.atomic
def day_copy(*, person: User, source: datetime.date, target: datetime.date, by: User) -> list[DiaryEntry]:
    """Copy a day's entries to another day as drafts (evidence is not copied: it differs each day).

    Stages are looked up again in the catalog that applies on ``target``, by task
    code and stage order. All entries are copied or none.
    """
    _require_owner(person, by)
    if source == target:
        raise ValidationError(_("Choose another day to copy from."))
    originals = list(DiaryEntry.objects.filter(person=person, date=source).select_related("task", "stage"))
    if not originals:
        raise ValidationError(_("There is nothing to copy on %(day)s.") % {"day": short_date(source)})
    membership = _membership(person, target)
    stages = {
        (s.task.code, s.order): s
        for s in catalog_selectors.stages_in_force(membership.unit.agency, target, active_only=False)
    }
    copies: list[EntryInput] = []
    for original in originals:
        stage = stages.get((original.task.code, original.stage.order))
        if stage is None:
            raise ValidationError(
                _("%(code)s stage %(order)s is not in the catalog that applies on %(day)s.")
                % {"code": original.task.code, "order": original.stage.order, "day": short_date(target)}
            )
        copies.append(
            EntryInput(
                stage=stage,
                quantity=original.quantity,
                estimate_minutes=original.estimate_minutes,
                description=original.description,
            )
        )
    agency = membership.unit.agency
    copied = sum((d.stage.norm_minutes * d.quantity for d in copies), Decimal(0))
    total = _day_minutes(person, target) + copied
    if total > agency.daily_cap_minutes:
        # Said of the copy as a whole: the form has no quantity to check.
        raise ValidationError(
            _(
                "Copying the %(count)s entries of %(source)s would make %(hours)s standard hours on %(day)s, "
                "above the limit of %(cap)s hours a day. Nothing was copied; add the entries one by one."
            )
            % {
                "count": len(copies),
                "source": short_date(source),
                "hours": figure(total / standards.MINUTES_AN_HOUR, 1),
                "day": short_date(target),
                "cap": figure(Decimal(agency.daily_cap_minutes) / standards.MINUTES_AN_HOUR, 1),
            }
        )
    return [entry_create(person=person, day=target, data=data, by=by).entry for data in copies]


def entries_of(person: User, days: Sequence[datetime.date]) -> list[DiaryEntry]:
    return list(DiaryEntry.objects.filter(person=person, date__in=days))


def missing_days_remind(
    *, by: User, person: User, days: Sequence[datetime.date], today: datetime.date
) -> bool:
    """Remind a person of the working days with nothing in their diary; once a day, whoever asks
    (False when they were already reminded today)."""
    return notify(
        recipient=person,
        key=f"missing-days:{person.pk}:{today.isoformat()}",
        title=_("%(name)s reminds you to log your work") % {"name": by.get_full_name()},
        body=_("Working days with nothing in your diary: %(days)s.")
        % {"days": ", ".join(short_date(day) for day in days)},
        url=reverse("worklog:day", args=[days[0].isoformat()]),
    )
