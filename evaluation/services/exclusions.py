"""Taking back an entry a leader excluded from its month (``worklog.lifecycle`` moves the status).

The diary does not know evaluations, so the rule "not once the month is final" lives here and is
passed to the diary's transition as its ``refuse`` rule.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from kpi_portal import periods
from org.models import User
from worklog import lifecycle
from worklog.models import DiaryEntry

from ..models import MonthlyEvaluation


def final_month_refusals(entry: DiaryEntry) -> list[str]:
    """The month of ``entry`` is final for its person: its entries no longer change.

    The evaluation's row is locked, as finalising locks it before counting the waiting entries: a
    finalisation and a taking back at the same time wait for each other, and the second sees the first.
    """
    evaluation = (
        MonthlyEvaluation.objects.select_for_update(of=("self",))
        .filter(person_id=entry.person_id, month=periods.month_start(entry.date))
        .first()
    )
    if evaluation is not None and evaluation.is_final:
        return [_("The month's evaluation is final: its entries no longer change.")]
    return []


def entry_include(*, entry: DiaryEntry, by: User, version: int | None) -> DiaryEntry:
    """Take an exclusion back while the month is not final: the entry waits for review again."""
    return lifecycle.entry_include(entry=entry, by=by, version=version, refuse=final_month_refusals)
