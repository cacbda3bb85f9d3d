"""The demo's dates: a window of five months ending today, and every demo date placed in it.

The diaries cover the current month and the four before it, so seeding takes the same time
whatever the day. Everything else that has a date (the transfer, the delegation, the catalog's
effective date, the final months, the appeals) is placed relative to the window's first month,
so that on 22 November 2026 the demo is the one first written for July to November 2026.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Min

from kpi_portal.periods import add_months, month_end, months_between
from worklog.models import DiaryEntry

MONTHS = 5  # the current month and the four before it
FINAL_AFTER_DAYS = 7  # a month is final once it ended a week ago, when a leader would have finalised it


@dataclass(frozen=True)
class Window:
    """From ``start`` (the first day of a month) to ``today``."""

    start: datetime.date
    today: datetime.date

    @classmethod
    def ending(cls, today: datetime.date) -> Window:
        """The five months ending ``today``: from the first day of the month four months before its month."""
        return cls(add_months(today, 1 - MONTHS), today)

    @property
    def months(self) -> list[datetime.date]:
        """The first day of each month from ``start`` to today's month."""
        return months_between(self.start, self.today)

    @property
    def final_months(self) -> list[datetime.date]:
        """The months a leader has finalised by today: those that ended more than a week ago."""
        return [
            m for m in self.months if month_end(m) + datetime.timedelta(days=FINAL_AFTER_DAYS) < self.today
        ]

    @property
    def joined(self) -> datetime.date:
        """When the demo's people joined their units: a year before the window."""
        return add_months(self.start, -12)

    @property
    def transfer(self) -> datetime.date:
        """The day of the demo's transfer: the 15th of the month before the window."""
        return add_months(self.start, -1).replace(day=15)

    @property
    def catalog_from(self) -> datetime.date:
        """The effective date of the demo catalogs (version 1): 1 January of the window's first year."""
        return self.start.replace(month=1)

    @property
    def delegation(self) -> tuple[datetime.date, datetime.date]:
        """Two working weeks of leave in the window's second month, from its first Monday."""
        second = add_months(self.start, 1)
        monday = second + datetime.timedelta(days=-second.weekday() % 7)
        return monday, monday + datetime.timedelta(days=11)

    @property
    def discipline(self) -> datetime.date:
        """The day of the demo's disciplinary measure: the 14th of the window's second month."""
        return add_months(self.start, 1).replace(day=14)


def demo_window(today: datetime.date) -> Window:
    """The window to seed: the five months ending ``today`` or, when the demo diaries are already there,
    from the month they start, so that a later run (``make run`` next month) moves no date."""
    first = DiaryEntry.objects.aggregate(first=Min("date"))["first"]
    ending = Window.ending(today)
    if first is None:
        return ending
    return Window(min(first.replace(day=1), ending.start), today)
