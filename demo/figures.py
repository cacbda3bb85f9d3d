"""Demo monthly figures: every month of the demo diaries is computed, as the monthly job would have."""

from __future__ import annotations

from org.models import Agency
from reports.services import month_compute

from .window import Window


def seed_figures(*, window: Window) -> int:
    """Compute each agency's months of the window, the current one included (replacing them)."""
    count = 0
    for agency in Agency.objects.order_by("code"):
        for month in window.months:
            month_compute(agency=agency, month=month)
            count += 1
    return count
