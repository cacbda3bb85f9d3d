"""The demo's E-Office evidence matches most diary entries and leaves a realistic few flagged.

One seeding for the whole module (it takes seconds), so the checks share one test.
"""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from evidence.models import CalendarAssignment, EntryFlag, FlagKind, OutgoingDocument
from evidence.services import RECHECK_DAYS
from org.models import Agency
from worklog.models import DiaryEntry, EntryStatus

NOW = datetime.datetime(2026, 11, 22, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))  # a Sunday
WEEK_BEFORE = (datetime.date(2026, 11, 16), datetime.date(2026, 11, 20))


def seed_demo() -> None:
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo", force=True, stdout=io.StringIO())


@pytest.mark.django_db
def test_the_demo_evidence_matches_most_entries_and_flags_a_few():
    seed_demo()
    stc = Agency.objects.get(code="STC")
    assert OutgoingDocument.objects.filter(agency=stc).count() > 1000
    assert CalendarAssignment.objects.filter(agency=stc).count() > 100

    # The entries the check looked at: submitted or approved, of the recent weeks, citing evidence.
    checked = DiaryEntry.objects.filter(
        agency=stc,
        status__in=[EntryStatus.SUBMITTED, EntryStatus.APPROVED],
        date__gte=NOW.date() - datetime.timedelta(days=RECHECK_DAYS),
        task__evidence_kind__in=["document", "meeting"],
    )
    flagged = checked.filter(pk__in=EntryFlag.objects.open().values("entry_id"))
    assert 0.01 <= flagged.count() / checked.count() <= 0.10
    kinds = set(EntryFlag.objects.open().filter(entry__agency=stc).values_list("kind", flat=True))
    assert {
        FlagKind.DOCUMENT_MISSING,
        FlagKind.DOCUMENT_OTHER_DRAFTER,
        FlagKind.DOCUMENT_DATE,
        FlagKind.NOT_ASSIGNED,
    } <= kinds

    # canbo's reviewer finds one of her entries of the week before today flagged, with its reason.
    canbo_flags = EntryFlag.objects.open().filter(
        entry__person__username="canbo", entry__status=EntryStatus.SUBMITTED, entry__date__range=WEEK_BEFORE
    )
    assert canbo_flags.exists()
    assert all(flag.detail for flag in canbo_flags)

    # A second run adds nothing.
    before = OutgoingDocument.objects.count(), CalendarAssignment.objects.count(), EntryFlag.objects.count()
    seed_demo()
    assert (
        OutgoingDocument.objects.count(),
        CalendarAssignment.objects.count(),
        EntryFlag.objects.count(),
    ) == before
