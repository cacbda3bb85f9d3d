"""Reads of the monthly figures, with the access rules every report page and export goes through."""

from __future__ import annotations

import datetime
from typing import cast

from django.db.models import Exists, OuterRef, Q, QuerySet

from org import calendar
from org import selectors as org_selectors
from org.models import Agency, Membership, StaleMonth, Unit, User

from .models import MonthRun, PersonMonth, UnitMonth

TREND_MONTHS = 12


def readable_agencies(user: User) -> QuerySet[Agency]:
    scope = org_selectors.access_scope(user)
    if scope.everything:
        return Agency.objects.order_by("code")
    return Agency.objects.filter(Q(pk__in=scope.agency_ids) | Q(province_id__in=scope.province_ids)).order_by(
        "code"
    )


def headed_units(user: User, on: datetime.date) -> QuerySet[Unit]:
    return Unit.objects.filter(
        pk__in=Membership.objects.active_on(on).filter(person=user, is_head=True).values("unit_id")
    ).select_related("agency")


def computed_months(agency: Agency) -> list[datetime.date]:
    """The months of the agency whose figures exist, newest first."""
    return list(MonthRun.objects.filter(agency=agency).order_by("-month").values_list("month", flat=True))


def being_updated(agency: Agency, month: datetime.date | None) -> bool:
    """Whether a change to the month is waiting to be computed (``org.figures``): the figures shown lag."""
    return month is not None and StaleMonth.objects.filter(agency=agency, month=month).exists()


def provisional(agency: Agency, month: datetime.date | None) -> bool:
    """Whether the month is still open (``org.calendar.month_closed``): its figures will still change,
    and no rating of it is final."""
    return month is not None and not calendar.month_closed(agency, month, org_selectors.today())


def being_updated_exists() -> Exists:
    """``being_updated`` of each stored row (``PersonMonth``, ``UnitMonth``) within its query: to annotate."""
    return Exists(StaleMonth.objects.filter(agency=OuterRef("agency"), month=OuterRef("month")))


def agency_rollups(agency: Agency, month: datetime.date) -> tuple[UnitMonth | None, list[UnitMonth]]:
    """(the agency's row, its units' rows) for a month."""
    rows = list(UnitMonth.objects.filter(agency=agency, month=month).select_related("unit"))
    whole = next((r for r in rows if r.unit_id is None), None)
    units = sorted((r for r in rows if r.unit_id is not None), key=lambda r: cast(Unit, r.unit).code)
    return whole, units


def trend(agency: Agency, *, unit: Unit | None = None, until: datetime.date | None = None) -> list[UnitMonth]:
    """The agency's (or a unit's) rows of the last months, oldest first."""
    rows = UnitMonth.objects.filter(agency=agency, unit=unit).select_related("unit")
    if until is not None:
        rows = rows.filter(month__lte=until)
    return list(reversed(rows.order_by("-month")[:TREND_MONTHS]))


def people(agency: Agency, month: datetime.date, *, unit: Unit | None = None) -> QuerySet[PersonMonth]:
    rows = PersonMonth.objects.filter(agency=agency, month=month).select_related("person", "unit")
    if unit is not None:
        rows = rows.filter(unit=unit)
    return rows.order_by("unit__code", "person__full_name", "person_id")


def person_history(person: User, *, until: datetime.date | None = None) -> list[PersonMonth]:
    rows = PersonMonth.objects.filter(person=person).select_related("agency", "unit")
    if until is not None:
        rows = rows.filter(month__lte=until)
    return list(reversed(rows.order_by("-month")[:TREND_MONTHS]))
