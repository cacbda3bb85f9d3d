"""Suggestions of the day page ("Gợi ý từ E-Office"): evidence of the day no entry cites yet.

On a day the person may log, the outgoing documents they drafted that day and the meetings and
field visits of the work calendar they took part in are offered as one-click entries: the person
picks the stage, the entry is created by ``worklog.services.entry_create`` (the same rules and the
same frozen norm as the day page) with the evidence filled in: the document's number, or the
meeting's reference (its title). A person may dismiss a suggestion; it is then never offered again.

"Cited" follows the cross-check: a document is cited by any entry of the person whose evidence names
its number (compared as ``normalise_number`` does, ranges included), on whatever day within a year of
it. A meeting is cited by an entry of its day whose evidence or description names it; a meeting
entry of that day naming no meeting of the calendar counts for one of them (the cross-check accepts
any meeting entry of a day on which the person is in the calendar), the earliest first.
"""

from __future__ import annotations

import datetime
import unicodedata
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Sum
from django.http import HttpRequest
from django.utils.translation import gettext as _

from catalog.models import EvidenceKind, Stage
from org.models import Agency, User
from worklog import extensions
from worklog import selectors as worklog_selectors
from worklog import services as worklog_services
from worklog.models import DESCRIPTION_MAX, EVIDENCE_MAX, DiaryEntry

from .models import CalendarAssignment, DismissedSuggestion, OutgoingDocument, normalise_number
from .services import cited_numbers

# How far from a document's date an entry citing it is looked for (a document is logged near its date).
CITED_WITHIN_DAYS = 366
DOCUMENT, MEETING = "document", "meeting"
KINDS = (DOCUMENT, MEETING)
TEMPLATE = "evidence/_day_suggestions.html"

Choices = list[tuple[str, list[tuple[int, str]]]]


@dataclass(frozen=True)
class Suggestion:
    kind: str  # DOCUMENT or MEETING
    pk: int
    day: datetime.date
    reference: str  # the evidence the entry will cite
    label: str  # what the page shows
    description: str  # the entry's description
    dismissed: bool = False
    client_token: uuid.UUID = field(default_factory=uuid.uuid4)

    @property
    def evidence_kind(self) -> str:
        return EvidenceKind.DOCUMENT if self.kind == DOCUMENT else EvidenceKind.MEETING


def _text_key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").casefold().split())


def meeting_reference(assignment: CalendarAssignment) -> str:
    """The evidence an entry of this meeting cites: its title, shortened to fit the evidence field."""
    title = " ".join(assignment.title.split())
    return title if len(title) <= EVIDENCE_MAX else title[: EVIDENCE_MAX - 1].rstrip() + "…"


def _suggestions(person: User, day: datetime.date, agency: Agency) -> list[Suggestion]:
    """Everything of the day the person's entries do not cite yet, dismissed or not (at most 3 queries)."""
    dismissed_document = DismissedSuggestion.objects.filter(person=person, document=OuterRef("pk"))
    dismissed_assignment = DismissedSuggestion.objects.filter(person=person, assignment=OuterRef("pk"))
    documents = list(
        OutgoingDocument.objects.filter(agency=agency, drafter=person, issued_on=day)
        .annotate(dismissed=Exists(dismissed_document))
        .order_by("number", "pk")
    )
    assignments = list(
        CalendarAssignment.objects.filter(agency=agency, date=day, participants=person)
        .annotate(dismissed=Exists(dismissed_assignment))
        .order_by("start_time", "pk")
    )
    if not documents and not assignments:
        return []
    window = datetime.timedelta(days=CITED_WITHIN_DAYS)
    entries = list(
        DiaryEntry.objects.filter(person=person)
        .filter(Q(date=day) | (Q(date__range=(day - window, day + window)) & ~Q(evidence_ref="")))
        .values_list("date", "evidence_ref", "description", "task__evidence_kind")
    )
    cited = {normalise_number(n) for _day, ref, _d, _k in entries for n in cited_numbers(ref)}
    found = [
        Suggestion(
            DOCUMENT,
            d.pk,
            day,
            d.number,
            d.number,
            (d.summary or d.number)[:DESCRIPTION_MAX],
            dismissed=d.dismissed,
        )
        for d in documents
        if d.number_key not in cited
    ]
    # Meetings: those an entry of the day names, then one per meeting entry naming none of them.
    of_day = [(ref, description, kind) for date, ref, description, kind in entries if date == day]
    keys = {a.pk: {_text_key(a.title), _text_key(meeting_reference(a))} for a in assignments}
    names_of_day = [({_text_key(ref), _text_key(desc)}, kind) for ref, desc, kind in of_day]
    named = {pk for pk, names in keys.items() for entry_names, _k in names_of_day if entry_names & names}
    every_name = set().union(*keys.values())
    generic = sum(
        1 for names, kind in names_of_day if kind == EvidenceKind.MEETING and not names & every_name
    )
    for a in assignments:
        if a.pk in named:
            continue
        if generic:
            generic -= 1
            continue
        found.append(
            Suggestion(
                MEETING,
                a.pk,
                day,
                meeting_reference(a),
                f"{a.start_time:%H:%M} · {a.title}" if a.start_time else a.title,
                a.title[:DESCRIPTION_MAX],
                dismissed=a.dismissed,
            )
        )
    return found


def day_suggestions(person: User, day: datetime.date, agency: Agency) -> list[Suggestion]:
    """What the day page offers: the day's uncited evidence the person has not dismissed."""
    return [s for s in _suggestions(person, day, agency) if not s.dismissed]


def stage_choices(person: User, agency: Agency, day: datetime.date) -> dict[str, Choices]:
    """The picker of the day (the catalog in force, recent tasks first) for each kind of suggestion:
    the stages whose evidence is a document for documents, a meeting for meetings; every stage when
    none is of that kind."""
    choices = worklog_selectors.picker_choices(person, agency, day)
    kinds = dict(worklog_selectors.allowed_stages(agency, day).values_list("pk", "task__evidence_kind"))
    result = {}
    for kind, evidence_kind in ((DOCUMENT, EvidenceKind.DOCUMENT), (MEETING, EvidenceKind.MEETING)):
        matching = [
            (label, kept)
            for label, options in choices
            if (kept := [o for o in options if kinds.get(o[0]) == evidence_kind])
        ]
        result[kind] = matching or choices
    return result


def day_section(
    request: HttpRequest, day: datetime.date, agency: Agency | None, is_open: bool
) -> extensions.DaySection | None:
    """The day page's "Gợi ý từ E-Office" (registered in ``worklog.extensions``), on a day open to logging."""
    person = request.user
    if agency is None or not is_open or not isinstance(person, User):
        return None
    suggestions = day_suggestions(person, day, agency)
    if not suggestions:
        return None
    return extensions.DaySection(
        TEMPLATE, {"suggestions": suggestions, "suggestion_choices": stage_choices(person, agency, day)}
    )


def _item(person: User, kind: str, pk: int) -> OutgoingDocument | CalendarAssignment:
    """The person's own document or meeting; ``ObjectDoesNotExist`` for anything else."""
    if kind == DOCUMENT:
        return OutgoingDocument.objects.select_related("agency").get(pk=pk, drafter=person)
    if kind == MEETING:
        return CalendarAssignment.objects.select_related("agency").get(pk=pk, participants=person)
    raise ObjectDoesNotExist(kind)


def item_day(person: User, kind: str, pk: int) -> datetime.date:
    """The day of the person's document or meeting (``ObjectDoesNotExist`` when it is not theirs)."""
    item = _item(person, kind, pk)
    return item.issued_on if isinstance(item, OutgoingDocument) else item.date


def _offered(person: User, kind: str, pk: int) -> Suggestion:
    item = _item(person, kind, pk)
    day = item.issued_on if isinstance(item, OutgoingDocument) else item.date
    found = _suggestions(person, day, item.agency)
    suggestion = next((s for s in found if (s.kind, s.pk) == (kind, pk)), None)
    if suggestion is None:
        raise ValidationError(_("An entry of your diary already cites this; it is no longer suggested."))
    return suggestion


@transaction.atomic
def accept(
    *, person: User, kind: str, pk: int, stage_id: int, by: User, client_token: uuid.UUID | None = None
) -> worklog_services.SaveResult:
    """Log the suggestion as an entry of its day, with the evidence filled in, quantity 1.

    Raises ``ObjectDoesNotExist`` when the item is not the person's, ``ValidationError`` with the
    diary's message when a rule refuses the entry (a locked day, a stage not in force, the cap).
    """
    # The diary's lock first: two accepts of the same item wait for each other and the second sees the entry.
    User.objects.select_for_update().filter(pk=person.pk).first()
    if client_token is not None:
        existing = DiaryEntry.objects.filter(person=person, client_token=client_token).first()
        if existing is not None:  # the same form posted again (a double click): the entry it created
            minutes = DiaryEntry.objects.filter(person=person, date=existing.date).aggregate(
                total=Sum("standard_minutes")
            )["total"]
            return worklog_services.SaveResult(existing, minutes or Decimal(0))
    suggestion = _offered(person, kind, pk)
    stage = Stage.objects.select_related("task").filter(pk=stage_id).first()
    if stage is None:
        raise ValidationError({"stage": [_("Choose the task and stage from the list.")]})
    data = worklog_services.EntryInput(
        stage=stage,
        quantity=Decimal(1),
        description=suggestion.description,
        evidence_ref=suggestion.reference,
    )
    return worklog_services.entry_create(
        person=person, day=suggestion.day, data=data, by=by, client_token=client_token
    )


@transaction.atomic
def dismiss(*, person: User, kind: str, pk: int) -> DismissedSuggestion:
    """Never offer this document or meeting to the person again (``ObjectDoesNotExist`` if not theirs)."""
    item = _item(person, kind, pk)
    if isinstance(item, OutgoingDocument):
        dismissed, _created = DismissedSuggestion.objects.get_or_create(person=person, document=item)
    else:
        dismissed, _created = DismissedSuggestion.objects.get_or_create(person=person, assignment=item)
    return dismissed
