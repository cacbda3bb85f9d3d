"""Demo E-Office evidence: the outgoing documents and calendar the demo diaries cite, with a few gaps.

The diaries of demo/diaries.py cite document numbers ("1234/STC-NS", "Từ số 12 đến số 14/STC-NS")
and meetings; here E-Office gets what most of them claim, so that most entries pass the cross-check.
A few claims are deliberately left without evidence, as a real agency would see: a document that
was never issued, one drafted by another unit, one dated three weeks away from the work, a meeting
the person was not assigned to. ``canbo`` always has one such entry waiting for her reviewer in the
week before today, so the review queue shows a flag with its reason.

Rows are written with ``bulk_create`` (as the diary demo does); an agency that already has
evidence keeps it, so a second run adds nothing.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from catalog.models import EvidenceKind
from evidence.models import AssignmentKind, CalendarAssignment, OutgoingDocument, normalise_number
from evidence.services import cited_numbers, recheck_agency
from org import calendar
from org.models import Agency, Membership
from worklog.models import DiaryEntry, EntryStatus

from .diaries import LEVELS, TYPICAL_WEEK
from .window import Window

SEED = "evidence-20260701"
# Shares of the claims left unmatched (of document entries, of people's meeting days).
MISSING_RATE = 0.03
OTHER_UNIT_RATE = 0.01
LATE_RATE = 0.01
ABSENT_RATE = 0.03
LATE_DAYS = 21
# Whose week before today holds a flagged entry waiting for review, for the review-queue demo.
FLAGGED_PEOPLE = ("canbo",)
FIELD_UNITS = {"đợt kiểm tra", "cuộc thanh tra"}
SESSIONS = ((datetime.time(7, 30), datetime.time(11, 0)), (datetime.time(13, 30), datetime.time(16, 30)))

OK, MISSING, OTHER_UNIT, LATE = "ok", "missing", "other_unit", "late"
ENTRY_FIELDS = ("pk", "person_id", "person__username", "unit_id", "date", "status", "task__evidence_kind",
                "task__output_unit", "task_id", "description", "evidence_ref")  # fmt: skip


class _Entry(NamedTuple):
    """What the seeding reads of a diary entry (tuples: model instances of 20 000 entries are slow)."""

    pk: int
    person_id: int
    username: str
    unit_id: int
    date: datetime.date
    status: str
    evidence_kind: str
    output_unit: str
    task_id: int
    description: str
    evidence_ref: str


@dataclass(frozen=True)
class _Claim:
    """A document number as the first entry citing it claims it."""

    number: str
    entry: _Entry
    fate: str


def seed_evidence(*, window: Window) -> tuple[int, int]:
    """Documents and calendar assignments for the demo agencies; returns how many of each were made.

    Then the agency's recent diaries are checked against them, so the demo has its flags.
    """
    today = window.today
    documents = assignments = 0
    for agency in Agency.objects.filter(code__in=LEVELS).order_by("code"):
        rng = random.Random(f"{SEED}-{agency.code}")
        has_documents = OutgoingDocument.objects.filter(agency=agency).exists()
        has_calendar = CalendarAssignment.objects.filter(agency=agency).exists()
        if has_documents and has_calendar:
            continue
        entries = [
            _Entry(*row)
            for row in DiaryEntry.objects.filter(
                agency=agency,
                date__range=(window.start, today),
                task__evidence_kind__in=[EvidenceKind.DOCUMENT, EvidenceKind.MEETING],
            )
            .order_by("date", "person_id", "pk")
            .values_list(*ENTRY_FIELDS)
        ]
        if not entries:
            continue
        flagged = _flagged_on_purpose(agency, entries, today)
        if not has_documents:
            documents += _seed_documents(agency, entries, flagged, today, rng)
        if not has_calendar:
            assignments += _seed_calendar(agency, entries, flagged, rng)
        recheck_agency(agency, today=today)
    return documents, assignments


def _flagged_on_purpose(agency: Agency, entries: list[_Entry], today: datetime.date) -> set[int]:
    """One submitted entry of each of ``FLAGGED_PEOPLE`` in the week before today: a document entry
    if they have one, else a meeting entry."""
    yesterday = today - datetime.timedelta(days=1)
    week = set(calendar.working_days(agency, today - datetime.timedelta(days=14), yesterday)[-TYPICAL_WEEK:])
    chosen = set()
    for username in FLAGGED_PEOPLE:
        waiting = [
            e
            for e in entries
            if e.username == username and e.status == EntryStatus.SUBMITTED and e.date in week
        ]
        waiting.sort(key=lambda e: (e.evidence_kind != EvidenceKind.DOCUMENT, -e.date.toordinal(), e.pk))
        if waiting:
            chosen.add(waiting[0].pk)
    return chosen


def _fate(rng: random.Random) -> str:
    draw = rng.random()
    for fate, rate in ((MISSING, MISSING_RATE), (OTHER_UNIT, OTHER_UNIT_RATE), (LATE, LATE_RATE)):
        if draw < rate:
            return fate
        draw -= rate
    return OK


def _seed_documents(
    agency: Agency, entries: list[_Entry], flagged: set[int], today: datetime.date, rng: random.Random
) -> int:
    """One document for each number the entries cite, drafted by the first person citing it."""
    claims: dict[str, _Claim] = {}
    # The entries flagged on purpose claim their numbers first, so nobody else's claim covers them.
    ordered = sorted(entries, key=lambda e: e.pk not in flagged)
    for entry in ordered:
        if entry.evidence_kind != EvidenceKind.DOCUMENT:
            continue
        new = [n for n in cited_numbers(entry.evidence_ref) if normalise_number(n) not in claims]
        if not new:
            continue
        fate = MISSING if entry.pk in flagged else _fate(rng)
        for index, number in enumerate(new):
            claims[normalise_number(number)] = _Claim(number, entry, fate if index == 0 else OK)

    others = _members_by_unit(agency)
    documents: list[OutgoingDocument] = []
    for claim in sorted(claims.values(), key=lambda c: (c.entry.date, c.entry.pk, c.number)):
        if claim.fate == MISSING:
            continue
        entry = claim.entry
        drafter_id, unit_id = entry.person_id, entry.unit_id
        issued_on = _issued_on(entry.date, today, rng)
        if claim.fate == OTHER_UNIT:
            unit_id = rng.choice(sorted(u for u in others if u != entry.unit_id))
            drafter_id = rng.choice(others[unit_id])
        elif claim.fate == LATE:
            later = entry.date + datetime.timedelta(days=LATE_DAYS)
            issued_on = later if later <= today else entry.date - datetime.timedelta(days=LATE_DAYS)
        documents.append(
            OutgoingDocument(
                agency=agency,
                source_id=f"VBDI-{agency.code}-{len(documents) + 1:06d}",
                number=claim.number,
                number_key=normalise_number(claim.number),
                issued_on=issued_on,
                summary=entry.description,
                drafter_id=drafter_id,
                drafting_unit_id=unit_id,
            )
        )
    OutgoingDocument.objects.bulk_create(documents, batch_size=2000)
    return len(documents)


def _issued_on(day: datetime.date, today: datetime.date, rng: random.Random) -> datetime.date:
    """The day of the work or a working day or two later (signing takes time), never after today."""
    issued = day + datetime.timedelta(days=rng.choice((0, 0, 0, 1, 2)))
    while issued.weekday() >= 5:
        issued += datetime.timedelta(days=1)
    return issued if issued <= today else day


def _members_by_unit(agency: Agency) -> dict[int, list[int]]:
    members: dict[int, list[int]] = defaultdict(list)
    for unit_id, person_id in (
        Membership.objects.filter(unit__agency=agency, end__isnull=True)
        .order_by("unit_id", "person_id")
        .values_list("unit_id", "person_id")
    ):
        members[unit_id].append(person_id)
    return members


def _seed_calendar(agency: Agency, entries: list[_Entry], flagged: set[int], rng: random.Random) -> int:
    """A meeting or visit for each group of entries that cite the same invitation, decision or topic
    on a day, with the people who logged it, except those left out on purpose."""
    meetings = [e for e in entries if e.evidence_kind == EvidenceKind.MEETING]
    absent = {(e.person_id, e.date) for e in meetings if e.pk in flagged}
    groups: dict[tuple, list[_Entry]] = defaultdict(list)
    for entry in meetings:
        day = (entry.person_id, entry.date)
        if day not in absent and rng.random() < ABSENT_RATE:
            absent.add(day)
        # An invitation or a decision names one event; the weekly calendar, one topic of the day.
        cites_one = entry.evidence_ref.startswith(("Giấy mời", "Quyết định"))
        key = (
            (entry.date, entry.evidence_ref) if cites_one else (entry.date, entry.task_id, entry.description)
        )
        groups[key].append(entry)

    assignments: list[CalendarAssignment] = []
    participants: list[list[int]] = []
    for group in groups.values():
        people = sorted({e.person_id for e in group if (e.person_id, e.date) not in absent})
        if not people:
            continue
        first = group[0]
        start, end = rng.choice(SESSIONS)
        assignments.append(
            CalendarAssignment(
                agency=agency,
                source_id=f"LCT-{agency.code}-{len(assignments) + 1:06d}",
                date=first.date,
                start_time=start,
                end_time=end,
                kind=AssignmentKind.FIELD_VISIT
                if first.output_unit in FIELD_UNITS
                else AssignmentKind.MEETING,
                title=first.description[:500],
            )
        )
        participants.append(people)
    CalendarAssignment.objects.bulk_create(assignments, batch_size=2000)
    Through = CalendarAssignment.participants.through
    Through.objects.bulk_create(
        [
            Through(calendarassignment_id=assignment.pk, user_id=person_id)
            for assignment, people in zip(assignments, participants, strict=True)
            for person_id in people
        ],
        batch_size=5000,
    )
    return len(assignments)
