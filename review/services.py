"""The review queue's rule on top of the diary's life cycle: an entry with an open evidence flag is
not approved in bulk. The status change itself stays in ``worklog.lifecycle`` (its one owner)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from django.utils.translation import gettext as _

from evidence.models import EntryFlag
from kpi_portal.text import short_date
from org.models import User
from worklog import lifecycle
from worklog.models import DiaryEntry


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


def entries_approve(*, approvals: Mapping[int, lifecycle.Approval], by: User) -> int:
    """Approve the entries ticked in the queue, all or none; refused while any has an open flag.

    The flag rule runs inside ``lifecycle.entries_approve`` (as its ``refuse`` hook) rather than before
    it: on the locked rows, and only once the reviewer is known to review every entry, so a forged
    form never learns of someone else's flags. The diary cannot check it itself: ``worklog`` sits below
    ``evidence`` on the ladder of apps.
    """
    return lifecycle.entries_approve(approvals=approvals, by=by, refuse=open_flag_refusals)
