"""The life of a diary entry: the one owner of every change of its status.

    draft ──submit──> submitted ──approve──> approved ──reopen (HR)──> returned
      ^                   │                     │
      └──── returned <──return──┘               └──exempt (objective cause, a leader)
                          │ ^
          exclude (reason)│ │include (the month not final)
                          v │
                        excluded  (neither approved nor waiting: the month can be finalised)

Each transition here, and only here, does the five things a change of status
needs, in the caller's transaction: lock the rows and compare the version the
user saw, move the status and bump ``version``, write the audit event (the entry's
one history: who, when, why, before and after), tell the person (a return, a reopening), and
mark the agency-month's figures stale (``org.figures``) so the reports follow.
Apps above the diary (the review queue, the evaluations) call these functions;
they never write an entry's status themselves. The evidence check learns of a
submission through the ``entries_submitted`` signal, declared in ``signals``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kpi_portal import standards
from kpi_portal.text import required_text, short_date
from org.audit import record_all
from org.figures import people_changed, people_of
from org.models import User
from org.notifications import notify

from .models import MAX_MARKS, DiaryEntry, EntryStatus
from .signals import entries_submitted


@dataclass(frozen=True)
class Approval:
    """An entry to approve: the version the reviewer saw and the marks they gave."""

    version: int
    major_errors: int = 0
    delays: int = 0


Change = tuple[DiaryEntry, dict[str, Any], dict[str, Any]]  # an entry, its audited fields before and after


def _save_all(
    changes: Sequence[Change], *, by: User, action: str, fields: Iterable[str], reason: str = ""
) -> None:
    """Save one transition of several entries: each a new version, and its audit event (the entry's
    one history), together: one UPDATE and one INSERT whatever their number."""
    now = timezone.now()
    entries = [entry for entry, _before, _after in changes]
    for entry in entries:
        entry.version += 1
        entry.updated_at = now  # auto_now is not applied by bulk_update
    DiaryEntry.objects.bulk_update(entries, [*fields, "version", "updated_at"])
    record_all(actor=by, action=action, changes=changes, reason=reason)


def _save(
    entry: DiaryEntry,
    *,
    by: User,
    action: str,
    fields: Iterable[str],
    before: dict[str, Any],
    after: dict[str, Any],
    reason: str = "",
) -> None:
    """Save a transition of one entry (``_save_all``)."""
    _save_all([(entry, before, after)], by=by, action=action, fields=fields, reason=reason)


def _send_back(
    entry: DiaryEntry,
    *,
    by: User,
    action: str,
    reason: str,
    return_reason: str,
    reviewed_by: User | None,
    notice_key: str,
    title: str,
    body: str,
) -> None:
    """Move an entry back to its owner ("returned"), who reads why on their diary and is told."""
    before = entry.status
    entry.status = EntryStatus.RETURNED
    entry.return_reason = return_reason
    entry.reviewed_at = timezone.now() if reviewed_by else None
    entry.reviewed_by = reviewed_by
    _save(
        entry,
        by=by,
        action=action,
        fields=["status", "return_reason", "reviewed_at", "reviewed_by"],
        before={"status": before},
        after={"status": EntryStatus.RETURNED},
        reason=reason,
    )
    people_changed(people_of([entry]))
    notify(
        recipient=entry.person,
        key=f"{notice_key}:{entry.pk}:{entry.version}",
        title=title,
        body=body,
        url=reverse("worklog:day", args=[entry.date.isoformat()]),
    )


def _label(entry: DiaryEntry) -> str:
    return f"{entry.person.get_full_name()}, {short_date(entry.date)}, {entry.task.code}"


def changed_message(entry: DiaryEntry) -> str:
    """What a user who acted on an older state of ``entry`` is told (the review pages show it too)."""
    return _("%(entry)s was changed in the meantime (it is now %(status)s). Reload the queue.") % {
        "entry": _label(entry),
        "status": entry.get_status_display().lower(),
    }


def check_reviewer(entries: list[DiaryEntry], by: User) -> None:
    """``by`` reviews the owner of every entry on its date (the rule ``worklog.review_entry``)."""
    for entry in entries:
        if by.has_perm("worklog.review_entry", entry):
            continue
        if entry.person_id == by.pk:
            raise PermissionDenied(_("Nobody reviews their own entries."))
        raise PermissionDenied(
            _("You do not review the work of %(name)s on %(day)s.")
            % {"name": entry.person.get_full_name(), "day": short_date(entry.date)}
        )


# Submit ----------------------------------------------------------------------------------------


@transaction.atomic
def entries_submit(*, person: User, start: datetime.date, end: datetime.date, by: User) -> int:
    """Submit every draft or returned entry from ``start`` to ``end``: all of them or none.

    Entries of a task that needs evidence must cite it by now.
    """
    if not by.has_perm("worklog.write_diary", person):
        raise PermissionDenied(_("Only the owner can write a diary."))
    User.objects.select_for_update().filter(pk=person.pk).first()  # one writer per diary at a time
    entries = list(
        DiaryEntry.objects.filter(
            person=person, date__range=(start, end), status__in=[EntryStatus.DRAFT, EntryStatus.RETURNED]
        ).select_related("task")
    )
    if not entries:
        raise ValidationError(_("There is nothing to submit in this period."))
    missing = [
        e
        for e in entries
        if standards.without_evidence(evidence_kind=e.task.evidence_kind, evidence_ref=e.evidence_ref)
    ]
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
    changes: list[Change] = []
    for entry in entries:
        changes.append((entry, {"status": entry.status}, {"status": EntryStatus.SUBMITTED}))
        entry.status = EntryStatus.SUBMITTED
        entry.submitted_at = now
        entry.return_reason = ""
    _save_all(changes, by=by, action="entry.submitted", fields=["status", "submitted_at", "return_reason"])
    people_changed(people_of(entries))
    # The evidence is checked as the entries go to the reviewer (and again each night).
    entries_submitted.send(sender=DiaryEntry, entries=entries)
    return len(entries)


# Review ----------------------------------------------------------------------------------------


@transaction.atomic
def entries_approve(
    *,
    approvals: Mapping[int, Approval],
    by: User,
    refuse: Callable[[Sequence[DiaryEntry]], list[str]] | None = None,
) -> int:
    """Approve submitted entries, all of them or none, with the reviewer's marks for the score.

    ``refuse`` is a rule of the caller's layer: it gets the locked entries once the reviewer and the
    versions are checked, and every message it returns refuses the whole approval. The review queue
    passes its rule on open evidence flags this way, since the diary may not import the evidence.
    """
    if not approvals:
        raise ValidationError(_("Choose at least one entry to approve."))
    for approval in approvals.values():
        if not (0 <= approval.major_errors <= MAX_MARKS and 0 <= approval.delays <= MAX_MARKS):
            raise ValidationError(
                _("Major errors and delays are counted from 0 to %(max)s.") % {"max": MAX_MARKS}
            )
    entries = list(
        DiaryEntry.objects.select_for_update(of=("self",))
        .filter(pk__in=list(approvals))
        .select_related("person", "task")
        .order_by("pk")
    )
    if len(entries) != len(approvals):
        raise ValidationError(_("Some of these entries were deleted in the meantime. Reload the queue."))
    check_reviewer(entries, by)
    conflicts = [
        e for e in entries if e.status != EntryStatus.SUBMITTED or e.version != approvals[e.pk].version
    ]
    if conflicts:
        raise ValidationError(
            [
                _(
                    "%(entry)s was changed in the meantime (it is now %(status)s). "
                    "Nothing was approved; reload the queue."
                )
                % {"entry": _label(e), "status": e.get_status_display().lower()}
                for e in conflicts
            ]
        )
    refusals = refuse(entries) if refuse else []
    if refusals:
        raise ValidationError(refusals)
    now = timezone.now()
    changes: list[Change] = []
    for entry in entries:
        approval = approvals[entry.pk]
        entry.status = EntryStatus.APPROVED
        entry.reviewed_at = now
        entry.reviewed_by = by
        entry.major_errors = approval.major_errors
        entry.delays = approval.delays
        after = {"status": EntryStatus.APPROVED, "major_errors": entry.major_errors, "delays": entry.delays}
        changes.append((entry, {"status": EntryStatus.SUBMITTED}, after))
    _save_all(
        changes,
        by=by,
        action="entry.approved",
        fields=["status", "reviewed_at", "reviewed_by", "major_errors", "delays"],
    )
    people_changed(people_of(entries))
    return len(entries)


@transaction.atomic
def entry_return(*, entry: DiaryEntry, by: User, reason: str, version: int | None) -> DiaryEntry:
    """Send a submitted entry back to its owner with a reason they will see."""
    reason = required_text(reason, "reason", _("Say why the entry is returned: the person will read it."))
    entry = (
        DiaryEntry.objects.select_for_update(of=("self",)).select_related("person", "task").get(pk=entry.pk)
    )
    check_reviewer([entry], by)
    if entry.status != EntryStatus.SUBMITTED or (version is not None and entry.version != version):
        raise ValidationError(changed_message(entry))
    _send_back(
        entry,
        by=by,
        action="entry.returned",
        reason=reason,
        return_reason=reason,
        reviewed_by=by,
        notice_key="entry-returned",
        title=_("Your entry of %(day)s was returned") % {"day": short_date(entry.date)},
        body=_("%(name)s returned %(code)s: %(reason)s")
        % {"name": by.get_full_name(), "code": entry.task.code, "reason": reason},
    )
    return entry


# After approval -----------------------------------------------------------------------------------


@transaction.atomic
def entry_reopen(*, entry: DiaryEntry, by: User, reason: str) -> DiaryEntry:
    """Unlock an approved entry (HR or an administrator only), with a reason kept in its history."""
    entry = DiaryEntry.objects.select_for_update(of=("self",)).select_related("task").get(pk=entry.pk)
    if not by.has_perm("worklog.reopen_entries", entry.agency):
        raise PermissionDenied(_("Only HR or an administrator can reopen an approved entry."))
    if entry.status != EntryStatus.APPROVED:
        raise ValidationError(
            _("Only approved entries are reopened; this one is %(status)s.")
            % {"status": entry.get_status_display().lower()}
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for reopening.")]})
    return_reason = _("Reopened by %(name)s: %(reason)s") % {"name": by.get_full_name(), "reason": reason}
    _send_back(
        entry,
        by=by,
        action="entry.reopened",
        reason=reason,
        return_reason=return_reason,
        reviewed_by=None,
        notice_key="entry-reopened",
        title=_("An approved entry of %(day)s was reopened") % {"day": short_date(entry.date)},
        body=return_reason,
    )
    return entry


@transaction.atomic
def entry_exempt(*, entry: DiaryEntry, by: User, reason: str) -> DiaryEntry:
    """A leader confirms an objective cause: the entry's error and delay deductions no longer count.

    Whether the month's evaluation still allows it is the evaluations' rule
    (``evaluation.services.objective_cause_confirm`` checks it, then calls this).
    """
    reason = required_text(reason, "reason", _("Describe the objective cause you confirm."))
    entry = (
        DiaryEntry.objects.select_for_update(of=("self",))
        .select_related("person", "agency", "assignment")
        .get(pk=entry.pk)
    )
    if not by.has_perm("worklog.exempt_entry", entry):
        if entry.person_id == by.pk:
            raise PermissionDenied(_("Nobody confirms an objective cause for their own work."))
        raise PermissionDenied(_("Only an agency leader confirms an objective cause."))
    if entry.status != EntryStatus.APPROVED or not (entry.major_errors or entry.delays or entry.is_late):
        raise ValidationError(_("Only an approved entry with an error or a delay can be exempted."))
    entry.objective_cause = reason
    entry.objective_cause_by = by
    _save(
        entry,
        by=by,
        action="entry.exempted",
        fields=["objective_cause", "objective_cause_by"],
        before={"major_errors": entry.major_errors, "delays": entry.delays, "objective_cause": ""},
        after={"objective_cause": reason},
        reason=reason,
    )
    people_changed(people_of([entry]))
    return entry


# Excluded from the month ------------------------------------------------------------------------


def check_excluder(entry: DiaryEntry, by: User) -> None:
    """The person's reviewer on the entry's date, or a leader of its agency (never the owner)."""
    if entry.person_id == by.pk:
        raise PermissionDenied(_("Nobody excludes their own entries."))
    if not (by.has_perm("worklog.review_entry", entry) or by.has_perm("worklog.exempt_entry", entry)):
        raise PermissionDenied(_("Only the person's reviewer or an agency leader excludes an entry."))


def _locked_for_exclusion(entry: DiaryEntry, *, by: User, status: str, version: int | None) -> DiaryEntry:
    """The entry locked for an exclusion or its taking back, still in ``status`` at ``version``."""
    entry = (
        DiaryEntry.objects.select_for_update(of=("self",))
        .select_related("person", "task", "agency")
        .get(pk=entry.pk)
    )
    check_excluder(entry, by)
    if entry.status != status or (version is not None and entry.version != version):
        raise ValidationError(changed_message(entry))
    return entry


@transaction.atomic
def entry_exclude(*, entry: DiaryEntry, by: User, reason: str, version: int | None) -> DiaryEntry:
    """Leave a waiting entry out of its month, with a reason the person reads: it then counts
    neither as approved nor as waiting, so the month can be finalised without it.

    Whether the month's evaluation still allows it is the evaluations' rule (the evaluation's
    page checks it before calling this; a waiting entry cannot be in a final month anyway).
    """
    reason = required_text(reason, "reason", _("Say why the entry is excluded: the person will read it."))
    entry = _locked_for_exclusion(entry, by=by, status=EntryStatus.SUBMITTED, version=version)
    entry.status = EntryStatus.EXCLUDED
    entry.exclusion_reason = reason
    entry.excluded_at = timezone.now()
    entry.excluded_by = by
    _save(
        entry,
        by=by,
        action="entry.excluded",
        fields=["status", "exclusion_reason", "excluded_at", "excluded_by"],
        before={"status": EntryStatus.SUBMITTED},
        after={"status": EntryStatus.EXCLUDED},
        reason=reason,
    )
    people_changed(people_of([entry]))
    notify(
        recipient=entry.person,
        key=f"entry-excluded:{entry.pk}:{entry.version}",
        title=_("Your entry of %(day)s was excluded from the month") % {"day": short_date(entry.date)},
        body=_("%(name)s excluded %(code)s: %(reason)s")
        % {"name": by.get_full_name(), "code": entry.task.code, "reason": reason},
        url=reverse("worklog:day", args=[entry.date.isoformat()]),
    )
    return entry


@transaction.atomic
def entry_include(
    *,
    entry: DiaryEntry,
    by: User,
    version: int | None,
    refuse: Callable[[DiaryEntry], list[str]] | None = None,
) -> DiaryEntry:
    """Take an exclusion back: the entry waits for review again.

    ``refuse`` is the caller's rule on the locked entry (the evaluations refuse it once the
    month is final); every message it returns refuses the change.
    """
    entry = _locked_for_exclusion(entry, by=by, status=EntryStatus.EXCLUDED, version=version)
    refusals = refuse(entry) if refuse else []
    if refusals:
        raise ValidationError(refusals)
    reason = entry.exclusion_reason
    entry.status = EntryStatus.SUBMITTED
    entry.exclusion_reason = ""
    entry.excluded_at = None
    entry.excluded_by = None
    _save(
        entry,
        by=by,
        action="entry.included",
        fields=["status", "exclusion_reason", "excluded_at", "excluded_by"],
        before={"status": EntryStatus.EXCLUDED, "exclusion_reason": reason},
        after={"status": EntryStatus.SUBMITTED},
    )
    people_changed(people_of([entry]))
    notify(
        recipient=entry.person,
        key=f"entry-included:{entry.pk}:{entry.version}",
        title=_("Your entry of %(day)s waits for review again") % {"day": short_date(entry.date)},
        body=_("%(name)s took back the exclusion of %(code)s.")
        % {"name": by.get_full_name(), "code": entry.task.code},
        url=reverse("worklog:day", args=[entry.date.isoformat()]),
    )
    return entry
