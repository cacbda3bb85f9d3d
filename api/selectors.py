"""Reads of the API. Every function takes the client's agency: nothing here can reach another agency."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import F, Prefetch, QuerySet

from evaluation.models import EvaluationStatus, MonthlyEvaluation
from evidence.models import CalendarAssignment, OutgoingDocument, normalise_number
from org.models import Agency, Unit, User
from reports.models import PersonMonth, UnitMonth


def fold(text: str) -> str:
    """Usernames and unit codes are matched without regard to case, as in the spreadsheet import."""
    return text.strip().casefold()


def people_by_username(agency: Agency, usernames: Iterable[str]) -> dict[str, int]:
    """{folded username: user id} of those who are or have been members of the agency (one query)."""
    wanted = {fold(name) for name in usernames}
    if not wanted:
        return {}
    rows = (
        User.objects.filter(memberships__unit__agency=agency)
        .order_by()
        .values_list("pk", "username")
        .distinct()
    )
    return {fold(username): pk for pk, username in rows if fold(username) in wanted}


def units_by_code(agency: Agency, codes: Iterable[str]) -> dict[str, int]:
    """{folded code: unit id} of the agency's units (one query)."""
    wanted = {fold(code) for code in codes}
    if not wanted:
        return {}
    rows = Unit.objects.filter(agency=agency).order_by().values_list("pk", "code")
    return {fold(code): pk for pk, code in rows if fold(code) in wanted}


def unit_by_code(agency: Agency, code: str) -> Unit | None:
    return Unit.objects.filter(agency=agency, code__iexact=code.strip()).first()


def documents(
    *,
    agency: Agency,
    issued_from: datetime.date | None = None,
    issued_to: datetime.date | None = None,
    number: str | None = None,
) -> QuerySet[OutgoingDocument]:
    found = OutgoingDocument.objects.filter(agency=agency).select_related("drafter", "drafting_unit")
    if issued_from:
        found = found.filter(issued_on__gte=issued_from)
    if issued_to:
        found = found.filter(issued_on__lte=issued_to)
    if number:
        # The same loose comparison as the cross-check: case, spaces and Đ/D do not matter.
        found = found.filter(number_key=normalise_number(number))
    return found.order_by("-issued_on", "source_id")


def assignments(
    *,
    agency: Agency,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    kind: str | None = None,
    participant: str | None = None,
) -> QuerySet[CalendarAssignment]:
    found = CalendarAssignment.objects.filter(agency=agency).prefetch_related(
        Prefetch("participants", queryset=User.objects.only("pk", "username").order_by("username"))
    )
    if date_from:
        found = found.filter(date__gte=date_from)
    if date_to:
        found = found.filter(date__lte=date_to)
    if kind:
        found = found.filter(kind=kind)
    if participant:
        found = found.filter(participants__username__iexact=participant.strip()).distinct()
    return found.order_by("-date", "start_time", "source_id")


def person_months(*, agency: Agency, month: datetime.date, unit: Unit | None = None) -> QuerySet[PersonMonth]:
    found = PersonMonth.objects.filter(agency=agency, month=month).select_related("person", "unit")
    if unit is not None:
        found = found.filter(unit=unit)
    return found.order_by("unit__code", "person__username")


def unit_months(*, agency: Agency, month: datetime.date) -> QuerySet[UnitMonth]:
    # The whole agency (no unit) first, then the units by code.
    return (
        UnitMonth.objects.filter(agency=agency, month=month)
        .select_related("unit")
        .order_by(F("unit__code").asc(nulls_first=True))
    )


def final_evaluations(
    *, agency: Agency, month: datetime.date, unit: Unit | None = None
) -> QuerySet[MonthlyEvaluation]:
    found = MonthlyEvaluation.objects.filter(
        agency=agency, month=month, status=EvaluationStatus.FINAL
    ).select_related("person", "unit")
    if unit is not None:
        found = found.filter(unit=unit)
    return found.order_by("unit__code", "person__username")
