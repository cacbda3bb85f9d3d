"""The working calendar: the one function every figure uses for working days.

Vietnam's public calendar comes from the ``holidays`` package (Tết, Hùng
Kings, 30/4, 1/5, National Day, the days swapped by the government and their
make-up Saturdays); administrators add or remove days per agency or for all
(``CalendarOverride``). Month and quarter bounds are the civil calendar's
(``kpi_portal.periods``); this module decides which of their days are worked.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from functools import lru_cache

import holidays
from django.db.models import Q
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Agency, CalendarOverride

# The Government's decisions on the public calendar that the ``holidays`` package does not carry (yet),
# each with its legal basis: a date → (a working day?, what the day pages call it). Administrators'
# overrides (``CalendarOverride``) still win over these.
OFFICIAL_CHANGES: dict[datetime.date, tuple[bool, Promise]] = {
    # Official letter 12729/VPCP-KGVX (Office of the Government, 2025): Friday 02/01/2026 off after New
    # Year's Day, made up on Saturday 10/01/2026.
    datetime.date(2026, 1, 2): (False, _("Day off after New Year's Day (letter 12729/VPCP-KGVX)")),
    datetime.date(2026, 1, 10): (True, _("Working day in lieu of 02/01/2026 (letter 12729/VPCP-KGVX)")),
    # Politburo Resolution 80-NQ/TW (January 2026) made 24 November Vietnam Culture Day, a paid day off.
    # Written here rather than left to the ``holidays`` package, which added it in a later release than
    # some installations will have: the month's working days must not depend on a package version.
    datetime.date(2026, 11, 24): (False, _("Vietnam Culture Day (Politburo Resolution 80-NQ/TW)")),
}


def _is_public_working_day(day: datetime.date) -> bool:
    if day in OFFICIAL_CHANGES:
        return OFFICIAL_CHANGES[day][0]
    return _public_calendar(day.year).is_working_day(day)


@lru_cache(maxsize=32)
def _public_calendar(year: int, language: str = "vi") -> holidays.HolidayBase:
    return holidays.Vietnam(years=year, language=language)


def public_holiday_name(day: datetime.date) -> str | None:
    """The holiday's name in the interface's language (Vietnamese, or English), whatever the server's
    locale: the ``holidays`` package is asked for that language by name."""
    if day in OFFICIAL_CHANGES:
        working, name = OFFICIAL_CHANGES[day]
        return None if working else str(name)
    language = "en_US" if (translation.get_language() or "vi").startswith("en") else "vi"
    return _public_calendar(day.year, language).get(day)


def _days(start: datetime.date, end: datetime.date) -> Iterator[datetime.date]:
    for offset in range((end - start).days + 1):
        yield start + datetime.timedelta(days=offset)


def _overrides(agency: Agency | None, start: datetime.date, end: datetime.date) -> dict[datetime.date, bool]:
    """Override per date; an agency's own override wins over one for all agencies."""
    rows = CalendarOverride.objects.filter(date__range=(start, end))
    rows = (
        rows.filter(Q(agency__isnull=True) | Q(agency=agency)) if agency else rows.filter(agency__isnull=True)
    )
    found: dict[datetime.date, bool] = {}
    for day, is_working_day, agency_id in rows.order_by("agency_id").values_list(
        "date", "is_working_day", "agency_id"
    ):
        if agency_id is not None or day not in found:
            found[day] = is_working_day
    return found


def working_days(agency: Agency | None, start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The working days from ``start`` to ``end`` inclusive for an agency (one query)."""
    if end < start:
        return []
    overrides = _overrides(agency, start, end)
    return [day for day in _days(start, end) if overrides.get(day, _is_public_working_day(day))]


def is_working_day(agency: Agency | None, day: datetime.date) -> bool:
    return bool(working_days(agency, day, day))


def working_days_back(agency: Agency | None, day: datetime.date, count: int) -> datetime.date:
    """The date ``count`` working days before ``day`` (``day`` itself not counted)."""
    start = day - datetime.timedelta(days=count * 2 + 30)  # room for Tết and long holidays
    earlier = working_days(agency, start, day - datetime.timedelta(days=1))
    return earlier[-count] if len(earlier) >= count else start


def previous_working_day(agency: Agency | None, day: datetime.date) -> datetime.date:
    return working_days_back(agency, day, 1)


def month_closed(agency: Agency | None, month: datetime.date, today: datetime.date) -> bool:
    """Whether an agency's month is closed: its last working day has passed (the month itself has,
    when it has no working day). Until then its figures are provisional and nobody's month is final."""
    start = month.replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    days = working_days(agency, start, end)
    return today > (days[-1] if days else end)
