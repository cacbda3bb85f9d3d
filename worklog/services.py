"""Writes to the work diary. Every rule of the diary lives here, with its message.

Only the owner writes their diary. Nothing is saved when a rule is broken.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from catalog import selectors as catalog_selectors
from catalog.models import EvidenceKind, Stage
from evidence import services as evidence_services
from kpi_portal.text import short_date
from org import calendar
from org import selectors as org_selectors
from org.audit import record
from org.models import Agency, Membership, Role, User
from org.notifications import notify
from reports import services as report_services

from .models import (
    DESCRIPTION_MAX,
    EVIDENCE_MAX,
    MAX_ESTIMATE_MINUTES,
    MAX_QUANTITY,
    DayReopening,
    DiaryEntry,
    EntryStatus,
)

EIGHT_HOURS = 8 * 60


@dataclass(frozen=True)
class EntryInput:
    stage: Stage
    quantity: Decimal
    estimate_minutes: int | None = None
    description: str = ""
    evidence_ref: str = ""


@dataclass(frozen=True)
class SaveResult:
    entry: DiaryEntry
    day_minutes: Decimal

    @property
    def over_eight_hours(self) -> bool:
        return self.day_minutes > EIGHT_HOURS


def _require_owner(person: User, by: User) -> None:
    if by.pk != person.pk:
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
    version = catalog_selectors.version_on(agency, day)
    if version is None or task.version_id != version.pk or task.agency_id != agency.pk:
        error(
            "stage", _("This task is not in the catalog that applies on %(day)s.") % {"day": short_date(day)}
        )
    elif not task.active:
        error("stage", _("This task is no longer in use."))
    if not (Decimal(0) < data.quantity <= MAX_QUANTITY):
        error("quantity", _("The quantity must be more than 0 and at most %(max)s.") % {"max": MAX_QUANTITY})
    elif data.quantity.as_tuple().exponent < -2:
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
                    "hours": number_format(total / 60, 1),
                    "day": short_date(day),
                    "cap": agency.daily_cap_minutes // 60,
                },
            )
    if errors:
        raise ValidationError(errors)
    return membership


def _fill(entry: DiaryEntry, data: EntryInput, membership: Membership) -> None:
    entry.agency = membership.unit.agency
    entry.unit = membership.unit
    entry.task = data.stage.task
    entry.stage = data.stage
    entry.quantity = data.quantity
    # The norm is copied: the entry keeps it whatever happens to the catalog later.
    entry.norm_minutes = data.stage.norm_minutes
    entry.standard_minutes = data.stage.norm_minutes * data.quantity
    entry.estimate_minutes = data.estimate_minutes
    entry.description = data.description.strip()
    entry.evidence_ref = data.evidence_ref.strip()
    entry.is_overtime = not calendar.is_working_day(entry.agency, entry.date)


@transaction.atomic
def entry_create(*, person: User, day: datetime.date, data: EntryInput, by: User) -> SaveResult:
    _require_owner(person, by)
    User.objects.select_for_update().filter(pk=person.pk).first()  # one writer per diary at a time
    membership = _check(person, day, data)
    entry = DiaryEntry(person=person, date=day)
    _fill(entry, data, membership)
    entry._history_user = by  # type: ignore[attr-defined]
    entry.save()
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
    _fill(entry, data, membership)
    entry.version += 1
    entry._history_user = by  # type: ignore[attr-defined]
    entry.save()
    return SaveResult(entry, _day_minutes(entry.person, entry.date))


@transaction.atomic
def entry_delete(*, entry: DiaryEntry, by: User, version: int | None) -> None:
    entry = _locked_editable(entry, version, by)
    entry._history_user = by  # type: ignore[attr-defined]
    entry.delete()


@transaction.atomic
def entries_submit(*, person: User, start: datetime.date, end: datetime.date, by: User) -> int:
    """Submit every draft or returned entry from ``start`` to ``end``: all of them or none.

    Entries of a task that needs evidence must cite it by now.
    """
    _require_owner(person, by)
    User.objects.select_for_update().filter(pk=person.pk).first()
    entries = list(
        DiaryEntry.objects.filter(
            person=person, date__range=(start, end), status__in=[EntryStatus.DRAFT, EntryStatus.RETURNED]
        ).select_related("task")
    )
    if not entries:
        raise ValidationError(_("There is nothing to submit in this period."))
    missing = [e for e in entries if e.task.evidence_kind != EvidenceKind.NONE and not e.evidence_ref]
    if missing:
        raise ValidationError(
            [
                _("%(day)s, %(code)s: give the evidence (%(kind)s) before submitting.")
                % {
                    "day": short_date(e.date),
                    "code": e.task.code,
                    "kind": e.task.get_evidence_kind_display().lower(),
                }
                for e in missing
            ]
        )
    now = timezone.now()
    for entry in entries:
        entry.submitted_at = now
        entry.return_reason = ""
        entry.version += 1
        entry._history_user = by  # type: ignore[attr-defined]
        before = entry.status
        entry.status = EntryStatus.SUBMITTED
        entry.save(update_fields=["status", "submitted_at", "return_reason", "version", "updated_at"])
        record(
            actor=by,
            action="entry.submitted",
            target=entry,
            before={"status": before},
            after={"status": EntryStatus.SUBMITTED},
        )
    # The evidence is checked as the entries go to the reviewer (and again each night).
    evidence_services.check_entries(entries)
    return len(entries)


def can_reopen_entries(user: User, agency: Agency) -> bool:
    return org_selectors.access_scope(user).has_role(agency, Role.HR, Role.ADMINISTRATOR)


@transaction.atomic
def entry_reopen(*, entry: DiaryEntry, by: User, reason: str) -> DiaryEntry:
    """Unlock an approved entry (HR or an administrator only), with a reason kept in its history."""
    entry = _locked(entry, None)
    if not can_reopen_entries(by, entry.agency):
        raise PermissionDenied(_("Only HR or an administrator can reopen an approved entry."))
    if entry.status != EntryStatus.APPROVED:
        raise ValidationError(
            _("Only approved entries are reopened; this one is %(status)s.")
            % {"status": entry.get_status_display().lower()}
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for reopening.")]})
    entry.status = EntryStatus.RETURNED
    entry.return_reason = _("Reopened by %(name)s: %(reason)s") % {
        "name": by.get_full_name(),
        "reason": reason,
    }
    entry.reviewed_at = None
    entry.reviewed_by = None
    entry.version += 1
    entry._history_user = by  # type: ignore[attr-defined]
    entry._change_reason = reason  # type: ignore[attr-defined]
    entry.save()
    record(
        actor=by,
        action="entry.reopened",
        target=entry,
        before={"status": EntryStatus.APPROVED},
        after={"status": EntryStatus.RETURNED},
        reason=reason,
    )
    report_services.recompute_later(report_services.months_touched([entry]))
    notify(
        recipient=entry.person,
        key=f"entry-reopened:{entry.pk}:{entry.version}",
        title=_("An approved entry of %(day)s was reopened") % {"day": short_date(entry.date)},
        body=entry.return_reason,
        url=reverse("worklog:day", args=[entry.date.isoformat()]),
    )
    return entry


@transaction.atomic
def day_reopen(*, person: User, day: datetime.date, by: User, reason: str) -> DayReopening:
    """Let a person log a day older than the back-dating window (their reviewer, HR or an administrator)."""
    membership = _membership(person, day)
    agency = membership.unit.agency
    if by.pk == person.pk:
        raise PermissionDenied(_("Nobody reopens their own days."))
    is_reviewer = org_selectors.reviewer_for(person, day) == by
    if not (is_reviewer or can_reopen_entries(by, agency)):
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
    version = catalog_selectors.version_on(membership.unit.agency, target)
    stages = {}
    if version is not None:
        stages = {
            (s.task.code, s.order): s
            for s in Stage.objects.filter(task__version=version).select_related("task")
        }
    copies = []
    for original in originals:
        stage = stages.get((original.task.code, original.stage.order))
        if stage is None:
            raise ValidationError(
                _("%(code)s stage %(order)s is not in the catalog that applies on %(day)s.")
                % {"code": original.task.code, "order": original.stage.order, "day": short_date(target)}
            )
        data = EntryInput(
            stage=stage,
            quantity=original.quantity,
            estimate_minutes=original.estimate_minutes,
            description=original.description,
        )
        copies.append(entry_create(person=person, day=target, data=data, by=by).entry)
    return copies


def entries_of(person: User, days: Sequence[datetime.date]) -> list[DiaryEntry]:
    return list(DiaryEntry.objects.filter(person=person, date__in=days))
