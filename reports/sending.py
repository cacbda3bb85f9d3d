"""Which agencies of a province sent each month's results to the Department of Home Affairs, and
which are overdue (due by the 25th of the next month, ``standards.monthly_report_due``)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from kpi_portal import periods, standards
from org.models import Agency

from .models import MonthSent


@dataclass(frozen=True)
class SendingRow:
    month: datetime.date
    agency: Agency
    due: datetime.date
    sent: MonthSent | None
    today: datetime.date

    @property
    def overdue(self) -> bool:
        """Not sent and the due day has passed: the month counts as not done for the agency."""
        return self.sent is None and self.today > self.due

    @property
    def sent_late(self) -> bool:
        return self.sent is not None and timezone.localdate(self.sent.sent_at) > self.due


def months_of(year: int, month: int | None, today: datetime.date) -> list[datetime.date]:
    """The month asked for, or every month of the year that has begun, the newest first."""
    if month is not None:
        return [datetime.date(year, month, 1)]
    last = 12 if year < today.year else (today.month if year == today.year else 0)
    return [datetime.date(year, m, 1) for m in range(last, 0, -1)]


def sending_rows(
    province_ids: Iterable[int] | None, months: list[datetime.date], today: datetime.date
) -> list[SendingRow]:
    """One row per month and agency of the provinces (every province when ``None``): two queries."""
    agencies = Agency.objects.order_by("code")
    if province_ids is not None:
        agencies = agencies.filter(province_id__in=list(province_ids))
    agencies_list = list(agencies)
    sent = {
        (s.agency_id, s.month): s
        for s in MonthSent.objects.filter(
            agency_id__in=[a.pk for a in agencies_list], month__in=months
        ).select_related("sent_by")
    }
    return [
        SendingRow(
            month=month,
            agency=agency,
            due=standards.monthly_report_due(month),
            sent=sent.get((agency.pk, month)),
            today=today,
        )
        for month in months
        for agency in agencies_list
    ]


def default_month(today: datetime.date) -> datetime.date:
    """The month whose results are being sent now: last month."""
    return periods.previous_month(periods.month_start(today))
