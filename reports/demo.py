"""Demo monthly figures: every month of the demo diaries is computed, as the monthly job would have."""

from __future__ import annotations

import datetime

from org.models import Agency
from worklog.demo import START

from .services import month_compute


def seed_figures(*, today: datetime.date) -> int:
    """Compute each agency's months from the first demo month to the current one (replacing them)."""
    months = []
    month = START.replace(day=1)
    while month <= today:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    count = 0
    for agency in Agency.objects.order_by("code"):
        for month in months:
            month_compute(agency=agency, month=month)
            count += 1
    return count
