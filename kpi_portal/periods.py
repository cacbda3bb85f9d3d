"""Months, quarters and years: how the portal writes, reads, bounds and steps through its periods.

SPEC.md reports results by day, month, quarter and year. A period is written in URLs, query strings,
forms, commands and the API as ``2026-11`` (a month), ``2026-Q3`` (a quarter) or ``2026`` (a year), and is
held as the first day of its first month (``datetime.date``) or as a ``Period``. Which of its days are
*working* days is the calendar's business (``org.calendar``); this module knows only the civil calendar.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Literal

MONTH_PATTERN = r"[1-9][0-9]{3}-(0[1-9]|1[0-2])"
QUARTER_PATTERN = r"[1-9][0-9]{3}-Q[1-4]"
YEAR_PATTERN = r"[1-9][0-9]{3}"
MONTHS_A_QUARTER = 3

Kind = Literal["month", "quarter", "year"]


# Months ------------------------------------------------------------------------------------------


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a month."""
    first = datetime.date(year, month, 1)
    return first, add_months(first, 1) - datetime.timedelta(days=1)


def month_end(day: datetime.date) -> datetime.date:
    """The last day of the month of ``day``."""
    return month_bounds(day.year, day.month)[1]


def add_months(day: datetime.date, count: int) -> datetime.date:
    """The first day of the month ``count`` months after (before, when negative) the month of ``day``."""
    index = day.year * 12 + day.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def previous_month(day: datetime.date) -> datetime.date:
    return add_months(day, -1)


def next_month(day: datetime.date) -> datetime.date:
    return add_months(day, 1)


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """First days of the months from the month of ``start`` to that of ``end``, both included."""
    count = (end.year - start.year) * 12 + end.month - start.month
    return [add_months(start, i) for i in range(count + 1)]


def month_value(day: datetime.date) -> str:
    """``2026-11``: a month as URLs, forms and the API write it."""
    return f"{day:%Y-%m}"


def parse_month(value: str) -> datetime.date:
    """``YYYY-MM`` → the month's first day; ``ValueError`` otherwise."""
    if not re.fullmatch(MONTH_PATTERN, (value or "").strip()):
        raise ValueError(f"not a month: {value!r}")
    year, month = value.strip().split("-")
    return datetime.date(int(year), int(month), 1)


# Quarters ----------------------------------------------------------------------------------------


def quarter_of(day: datetime.date) -> int:
    """1 to 4."""
    return (day.month - 1) // MONTHS_A_QUARTER + 1


def quarter_start(day: datetime.date) -> datetime.date:
    """The first day of the quarter of ``day``."""
    return datetime.date(day.year, (quarter_of(day) - 1) * MONTHS_A_QUARTER + 1, 1)


def quarter_months(day: datetime.date) -> list[datetime.date]:
    """First days of the three months of the quarter of ``day``."""
    first = quarter_start(day)
    return [add_months(first, i) for i in range(MONTHS_A_QUARTER)]


def quarter_value(day: datetime.date) -> str:
    """``2026-Q3``: the quarter of ``day`` as URLs, forms and commands write it."""
    return f"{day.year}-Q{quarter_of(day)}"


def parse_quarter(value: str) -> datetime.date:
    """``YYYY-Qn`` (``q`` too) → the quarter's first day; ``ValueError`` otherwise."""
    value = (value or "").strip().upper()
    if not re.fullmatch(QUARTER_PATTERN, value):
        raise ValueError(f"not a quarter: {value!r}")
    year, quarter = value.split("-Q")
    return datetime.date(int(year), (int(quarter) - 1) * MONTHS_A_QUARTER + 1, 1)


# Years -------------------------------------------------------------------------------------------


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


# Any period --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A month, a quarter or a year, from its first to its last day."""

    kind: Kind
    start: datetime.date
    end: datetime.date

    @classmethod
    def month(cls, day: datetime.date) -> Period:
        return cls("month", month_start(day), month_end(day))

    @classmethod
    def quarter(cls, day: datetime.date) -> Period:
        first = quarter_start(day)
        return cls("quarter", first, month_end(add_months(first, MONTHS_A_QUARTER - 1)))

    @classmethod
    def year(cls, day: datetime.date) -> Period:
        return cls("year", *year_bounds(day.year))

    @property
    def months(self) -> list[datetime.date]:
        """First days of its months."""
        return months_between(self.start, self.end)

    @property
    def value(self) -> str:
        """``2026-11``, ``2026-Q3`` or ``2026``: what ``parse`` reads back."""
        if self.kind == "month":
            return month_value(self.start)
        if self.kind == "quarter":
            return quarter_value(self.start)
        return str(self.start.year)

    def __contains__(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def shifted(self, count: int) -> Period:
        """The period of the same kind ``count`` periods later (earlier, when negative)."""
        if self.kind == "year":
            return Period.year(self.start.replace(year=self.start.year + count))
        step = 1 if self.kind == "month" else MONTHS_A_QUARTER
        return getattr(Period, self.kind)(add_months(self.start, step * count))

    def previous(self) -> Period:
        return self.shifted(-1)

    def next(self) -> Period:
        return self.shifted(1)


def parse(value: str) -> Period:
    """``2026-11``, ``2026-Q3`` or ``2026`` → that period; ``ValueError`` otherwise."""
    text = (value or "").strip()
    if re.fullmatch(YEAR_PATTERN, text):
        return Period.year(datetime.date(int(text), 1, 1))
    if re.fullmatch(QUARTER_PATTERN, text.upper()):
        return Period.quarter(parse_quarter(text))
    return Period.month(parse_month(text))
