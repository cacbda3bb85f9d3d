"""The review queue's rule on top of the diary's life cycle: an entry with an open evidence flag is
not approved in bulk. The status change itself stays in ``worklog.lifecycle`` (its one owner)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import cast

from django.db import transaction
from django.utils.translation import gettext as _

from evidence import services as evidence_services
from evidence.models import EntryFlag
from kpi_portal.text import required_text, short_date
from org import audit
from org import selectors as org_selectors
from org.models import User
from worklog import lifecycle
from worklog.models import DiaryEntry

ENTRY = cast(str, DiaryEntry._meta.model_name)  # "diaryentry", as org.audit.record names it


def open_flag_refusals(entries: Sequence[DiaryEntry]) -> list[str]:
    """One message per entry with an open evidence flag, naming it and saying what to do (one query)."""
    kinds: dict[int, list[str]] = defaultdict(list)
    for flag in EntryFlag.objects.open().filter(entry__in=[e.pk for e in entries]).order_by("kind"):
        kinds[flag.entry_id].append(str(flag.get_kind_display()).lower())
    return [
        _(
            "%(name)s, %(day)s, %(code)s has an open evidence flag (%(kinds)s): clear the flag with a "
            "reason or return the entry. Nothing was approved."
        )
        % {
            "name": entry.person.get_full_name(),
            "day": short_date(entry.date),
            "code": entry.task.code,
            "kinds": "; ".join(kinds[entry.pk]),
        }
        for entry in sorted(entries, key=lambda e: (e.date, e.pk))
        if entry.pk in kinds
    ]


def _principals(by: User, pks: Sequence[int]) -> dict[tuple[str, int], int]:
    """For the audit: the delegator whose rights ``by`` uses on each entry of ``pks`` (those where ``by``
    is not the line head). One query for someone who never received a delegation."""
    if not by.delegations_received.exists():
        return {}
    entries = list(DiaryEntry.objects.filter(pk__in=pks).values_list("pk", "agency_id", "person_id", "date"))
    acting_for = org_selectors.acting_for(by, [(agency, person, day) for _pk, agency, person, day in entries])
    return {
        (ENTRY, pk): acting_for[(person, day)]
        for pk, _agency, person, day in entries
        if (person, day) in acting_for
    }


def entries_approve(*, approvals: Mapping[int, lifecycle.Approval], by: User) -> int:
    """Approve the entries ticked in the queue, all or none; refused while any has an open flag.

    The flag rule runs inside ``lifecycle.entries_approve`` (as its ``refuse`` hook) rather than before
    it: on the locked rows, and only once the reviewer is known to review every entry, so a forged
    form never learns of someone else's flags. The diary cannot check it itself: ``worklog`` sits below
    ``evidence`` on the ladder of apps. A delegate's approvals are audited on behalf of the delegator.
    """
    with audit.on_behalf(_principals(by, list(approvals))):
        return lifecycle.entries_approve(approvals=approvals, by=by, refuse=open_flag_refusals)


def entry_return(*, entry: DiaryEntry, by: User, reason: str, version: int | None) -> DiaryEntry:
    """Send an entry back to its owner (``worklog.lifecycle.entry_return``); a delegate's return is
    audited on behalf of the delegator."""
    with audit.on_behalf(_principals(by, [entry.pk])):
        return lifecycle.entry_return(entry=entry, by=by, reason=reason, version=version)


@transaction.atomic
def entry_approve_with_note(*, entry: DiaryEntry, by: User, note: str, version: int) -> int:
    """Approve one entry that has open evidence flags, on its own, never in bulk: the reviewer's note
    clears each flag (the reason kept with the flag and in the audit trail) and the entry is approved;
    all of it or nothing (a changed entry undoes the clearing too)."""
    note = required_text(note, "note", _("Write why the entry is approved despite its flag."))
    for flag in EntryFlag.objects.open().filter(entry_id=entry.pk):
        evidence_services.flag_clear(flag=flag, by=by, reason=note)
    return entries_approve(approvals={entry.pk: lifecycle.Approval(version)}, by=by)
