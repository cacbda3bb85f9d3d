"""The cross-check of diary entries with E-Office evidence, and what people do with the flags.

``check_entries`` works on a set of entries with a fixed number of queries per agency: it
loads the documents they cite and the assignments of their days at once, decides which
flags each entry deserves, raises the new ones and resolves those the evidence now
answers. Flags the reviewer cleared stay cleared.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import EvidenceKind
from kpi_portal import periods, standards
from kpi_portal.tasks import enqueue
from kpi_portal.text import figure, required_text, short_date
from org import calendar, leave
from org import selectors as org_selectors
from org.audit import record
from org.figures import people_changed, people_of
from org.models import Agency, User
from worklog.models import DiaryEntry, EntryStatus

from .models import AgencyRecheck, CalendarAssignment, EntryFlag, FlagKind, OutgoingDocument, normalise_number

RECHECK_DAYS = 62
# The nightly check plus an hour's grace: a night missed during an outage is caught up by the sweep.
RECHECK_OVERDUE = datetime.timedelta(hours=25)
RANGE = re.compile(r"từ\s+số\s+(\d+)\s+đến\s+số\s+(\d+)\s*/\s*(\S+)", re.IGNORECASE)
NUMBER = re.compile(r"(\d+)\s*/\s*([\w.\-Đđ]+(?:-[\w.\-Đđ]+)*)")


def cited_numbers(evidence: str) -> list[str]:
    """Document numbers an entry cites: "12/STC-NS", "12/STC-NS; 13/STC-NS", "Từ số 12 đến số 14/STC-NS"."""
    found = []
    for first, last, symbol in RANGE.findall(evidence):
        if int(last) - int(first) <= 100:
            found += [f"{n}/{symbol}" for n in range(int(first), int(last) + 1)]
    if found:
        return found
    return [f"{number}/{symbol}" for number, symbol in NUMBER.findall(evidence)]


def _expected_flags(entries: list[DiaryEntry], agency: Agency) -> dict[int, dict[str, str]]:
    """{entry id: {flag kind: detail}} for entries of one agency."""
    expected: dict[int, dict[str, str]] = defaultdict(dict)
    cited = {
        e.pk: cited_numbers(e.evidence_ref) for e in entries if e.task.evidence_kind == EvidenceKind.DOCUMENT
    }
    keys = {normalise_number(n) for numbers in cited.values() for n in numbers}
    documents = {d.number_key: d for d in OutgoingDocument.objects.filter(agency=agency, number_key__in=keys)}
    meeting_days = {e.date for e in entries if e.task.evidence_kind == EvidenceKind.MEETING}
    assigned = set(
        CalendarAssignment.participants.through.objects.filter(
            calendarassignment__agency=agency, calendarassignment__date__in=meeting_days
        ).values_list("user_id", "calendarassignment__date")
    )
    window = agency.evidence_window_days
    for entry in entries:
        kind = entry.task.evidence_kind
        if kind == EvidenceKind.DOCUMENT:
            numbers = cited[entry.pk]
            found = [documents[key] for n in numbers if (key := normalise_number(n)) in documents]
            missing = [n for n in numbers if normalise_number(n) not in documents]
            if not numbers or missing:
                expected[entry.pk][FlagKind.DOCUMENT_MISSING] = _(
                    "No outgoing document %(numbers)s in the agency's E-Office records."
                ) % {"numbers": ", ".join(missing) or entry.evidence_ref or "—"}
                continue
            others = [
                d for d in found if d.drafter_id != entry.person_id and d.drafting_unit_id != entry.unit_id
            ]
            if others:
                expected[entry.pk][FlagKind.DOCUMENT_OTHER_DRAFTER] = _(
                    "%(number)s was drafted by %(drafter)s, not by the person or their unit."
                ) % {
                    "number": others[0].number,
                    "drafter": (others[0].drafter.get_full_name() if others[0].drafter else "")
                    or (others[0].drafting_unit.name if others[0].drafting_unit else "?"),
                }
            far = [d for d in found if abs((d.issued_on - entry.date).days) > window]
            if far:
                expected[entry.pk][FlagKind.DOCUMENT_DATE] = _(
                    "%(number)s is dated %(issued)s, more than %(days)s days from the entry."
                ) % {"number": far[0].number, "issued": short_date(far[0].issued_on), "days": window}
        elif kind == EvidenceKind.MEETING and (entry.person_id, entry.date) not in assigned:
            expected[entry.pk][FlagKind.NOT_ASSIGNED] = _(
                "The work calendar has no meeting or visit on %(day)s with this person taking part."
            ) % {"day": short_date(entry.date)}
    _anomalies(entries, agency, expected)
    return expected


def _anomalies(entries: list[DiaryEntry], agency: Agency, expected: dict[int, dict[str, str]]) -> None:
    """A day far above the norm, and a month above 10 hours a day (on the day's or month's largest entry).

    "Far above" is ``standards.above_ten_hours``: the norm is 8 hours, the agency's cap refuses more than it.
    """
    people = {e.person_id for e in entries}
    months = {periods.month_start(e.date) for e in entries}
    start = min(months)
    end = periods.month_end(max(months))
    day_minutes = {
        (row["person_id"], row["date"]): row["minutes"]
        for row in DiaryEntry.objects.filter(
            person_id__in=people,
            agency=agency,
            date__range=(start, end),
            status__in=[EntryStatus.SUBMITTED, EntryStatus.APPROVED],
        )
        .values("person_id", "date")
        .annotate(minutes=Sum("standard_minutes"))
    }
    by_day: dict[tuple[int, datetime.date], list[DiaryEntry]] = defaultdict(list)
    by_month: dict[tuple[int, datetime.date], list[DiaryEntry]] = defaultdict(list)
    for entry in entries:
        by_day[(entry.person_id, entry.date)].append(entry)
        by_month[(entry.person_id, periods.month_start(entry.date))].append(entry)
    for (person_id, day), day_entries in by_day.items():
        minutes = day_minutes.get((person_id, day), Decimal(0))
        if standards.above_ten_hours(minutes / 60):
            largest = max(day_entries, key=lambda e: (e.standard_minutes, e.pk))
            expected[largest.pk][FlagKind.DAY_FAR_ABOVE] = _(
                "%(hours)s standard hours on %(day)s, far above the 8-hour norm."
            ) % {"hours": figure(minutes / 60, 1), "day": short_date(day)}
    # One calendar query for the whole period, and each person's month total in one pass.
    working_days = calendar.working_days(agency, start, end)
    working: dict[datetime.date, int] = defaultdict(int)
    for day in working_days:
        working[periods.month_start(day)] += 1
    month_minutes: dict[tuple[int, datetime.date], Decimal] = defaultdict(Decimal)
    for (person_id, day), minutes in day_minutes.items():
        month_minutes[(person_id, periods.month_start(day))] += minutes
    # The average is over the days each person actually worked: their leave is taken off (SPEC).
    on_leave: dict[tuple[int, datetime.date], int] = defaultdict(int)
    absent = leave.leave_days({p for p, _month in by_month}, start, end, known={agency.pk: working_days})
    for person_id, days in absent.items():
        for day in days:
            on_leave[(person_id, periods.month_start(day))] += 1
    for (person_id, month), month_entries in by_month.items():
        average = standards.hours_per_day(
            month_minutes[(person_id, month)], working[month] - on_leave[(person_id, month)]
        )
        if standards.above_ten_hours(average):
            latest = max(month_entries, key=lambda e: (e.date, e.pk))
            expected[latest.pk][FlagKind.MONTH_ABOVE_TEN] = _(
                "%(hours)s standard hours a working day on average in %(month)s, above 10."
            ) % {"hours": figure(average, 1), "month": f"{month:%m/%Y}"}


@transaction.atomic
def check_entries(entries: Iterable[DiaryEntry]) -> int:
    """Raise, re-open or resolve the flags of these entries; returns how many flags stand open."""
    entries = [e for e in entries if e.status in (EntryStatus.SUBMITTED, EntryStatus.APPROVED)]
    if not entries:
        return 0
    by_agency: dict[int, list[DiaryEntry]] = defaultdict(list)
    for entry in entries:
        by_agency[entry.agency_id].append(entry)
    agencies = Agency.objects.in_bulk(by_agency)
    expected: dict[int, dict[str, str]] = {}
    for agency_id, agency_entries in by_agency.items():
        expected |= _expected_flags(agency_entries, agencies[agency_id])
    now = timezone.now()
    existing = {(f.entry_id, f.kind): f for f in EntryFlag.objects.filter(entry__in=entries)}
    to_create, to_update = [], []
    for entry in entries:
        for kind, detail in expected.get(entry.pk, {}).items():
            flag = existing.get((entry.pk, kind))
            if flag is None:
                to_create.append(
                    EntryFlag(entry=entry, agency_id=entry.agency_id, kind=kind, detail=detail[:500])
                )
            elif (
                flag.resolved_at is not None
                or flag.detail != detail[:500]
                or flag.agency_id != entry.agency_id
            ):
                flag.resolved_at, flag.detail, flag.agency_id = None, detail[:500], entry.agency_id
                to_update.append(flag)
    for (entry_id, kind), flag in existing.items():
        if kind not in expected.get(entry_id, {}) and flag.is_open:
            flag.resolved_at = now
            to_update.append(flag)
    EntryFlag.objects.bulk_create(to_create)
    EntryFlag.objects.bulk_update(to_update, ["resolved_at", "detail", "agency"])
    changed = {f.entry_id for f in to_create + to_update}
    people_changed(people_of(e for e in entries if e.pk in changed))
    return EntryFlag.objects.open().filter(entry__in=entries).count()


def check_submitted(*, entries: list[DiaryEntry], **_kwargs) -> None:
    """Receiver of ``worklog.signals.entries_submitted``: check the entries as they go to the reviewer."""
    check_entries(entries)


def recheck_request(agency_ids: Iterable[int]) -> None:
    """Ask, in the caller's transaction, for these agencies' diaries to be checked again.

    The mark (``AgencyRecheck.requested_at``) commits with the change that asks for it; the check
    is nudged after the commit and, if the broker is down, done by the every-minute sweep.
    """
    ids = sorted(set(agency_ids))
    if not ids:
        return
    now = timezone.now()
    AgencyRecheck.objects.bulk_create(
        [AgencyRecheck(agency_id=agency_id, requested_at=now) for agency_id in ids],
        update_conflicts=True,
        unique_fields=["agency"],
        update_fields=["requested_at"],
    )
    from .tasks import recheck_agency as task

    transaction.on_commit(lambda: [enqueue(task, agency_id) for agency_id in ids])


def recheck_due(agency_id: int) -> int | None:
    """Check an agency's diary again if it is due; the number of entries checked, or None.

    Due: asked for, never checked, or not checked for ``RECHECK_OVERDUE`` (a nightly run that never
    came). None when it is not due or another worker is checking it right now (its row is locked).
    """
    now = timezone.now()
    with transaction.atomic():
        state = (
            AgencyRecheck.objects.select_for_update(skip_locked=True)
            .filter(recheck_due_q(now), agency_id=agency_id)
            .select_related("agency")
            .first()
        )
        if state is None:
            return None
        checked = recheck_agency(state.agency)
        AgencyRecheck.objects.filter(pk=agency_id).update(requested_at=None, checked_at=now)
    return checked


def recheck_due_q(now: datetime.datetime) -> Q:
    overdue = Q(checked_at__lt=now - RECHECK_OVERDUE)
    return Q(requested_at__isnull=False) | Q(checked_at__isnull=True) | overdue


def rechecks_due() -> list[int]:
    """The agencies whose check is due, longest waiting first (an agency never seen is due at once)."""
    now = timezone.now()
    known = AgencyRecheck.objects.values("agency_id")
    missing = Agency.objects.exclude(pk__in=known).values_list("pk", flat=True)
    AgencyRecheck.objects.bulk_create(
        [AgencyRecheck(agency_id=agency_id, requested_at=now) for agency_id in missing], ignore_conflicts=True
    )
    due = AgencyRecheck.objects.filter(recheck_due_q(now)).order_by(F("checked_at").asc(nulls_first=True))
    return list(due.values_list("agency_id", flat=True))


def recheck_agency(agency: Agency, *, today: datetime.date | None = None) -> int:
    """Check again the agency's recent entries and those with an open flag (new evidence may answer them)."""
    today = today or org_selectors.today()
    entries = DiaryEntry.objects.filter(
        agency=agency, status__in=[EntryStatus.SUBMITTED, EntryStatus.APPROVED]
    ).select_related("task")
    recent = entries.filter(date__gte=today - datetime.timedelta(days=RECHECK_DAYS))
    flagged = entries.filter(pk__in=EntryFlag.objects.open().values("entry_id"))
    return check_entries(list((recent | flagged).distinct()))


@transaction.atomic
def flag_justify(*, flag: EntryFlag, by: User, text: str) -> EntryFlag:
    """The person explains a flag of their own entry; the reviewer reads it in the queue."""
    flag = (
        EntryFlag.objects.select_for_update().select_related("entry__person", "entry__agency").get(pk=flag.pk)
    )
    if not by.has_perm("evidence.justify_flag", flag):
        raise PermissionDenied(_("Only the entry's owner justifies its flags."))
    text = required_text(text, "justification", _("Write the justification."))
    if not flag.is_open:
        raise ValidationError(_("This flag is no longer open."))
    before = flag.justification
    flag.justification = text
    flag.justified_at = timezone.now()
    flag.save(update_fields=["justification", "justified_at"])
    record(
        actor=by,
        action="flag.justified",
        target=flag,
        agency=flag.entry.agency,
        person=flag.entry.person,
        before={"justification": before},
        after={"justification": text, "kind": flag.kind},
    )
    return flag


@transaction.atomic
def flag_clear(*, flag: EntryFlag, by: User, reason: str) -> EntryFlag:
    """The entry's reviewer clears a flag, with a reason kept in the audit trail."""
    flag = (
        EntryFlag.objects.select_for_update().select_related("entry__person", "entry__agency").get(pk=flag.pk)
    )
    entry = flag.entry
    if not by.has_perm("evidence.clear_flag", flag):
        raise PermissionDenied(_("Only the entry's reviewer clears its flags."))
    reason = required_text(reason, "reason", _("Say why the flag is cleared."))
    if not flag.is_open:
        raise ValidationError(_("This flag is no longer open."))
    flag.cleared_at = timezone.now()
    flag.cleared_by = by
    flag.cleared_reason = reason
    flag.save(update_fields=["cleared_at", "cleared_by", "cleared_reason"])
    record(
        actor=by,
        action="flag.cleared",
        target=flag,
        agency=entry.agency,
        person=entry.person,
        before={"kind": flag.kind, "detail": flag.detail},
        after={"cleared": True},
        reason=reason,
    )
    people_changed(people_of([entry]))
    return flag
