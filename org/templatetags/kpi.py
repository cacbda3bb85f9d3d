"""Template filters of the KPI pages: the norms and thresholds come from ``kpi_portal.standards``."""

import datetime
from decimal import Decimal

from django import template

from kpi_portal import standards
from kpi_portal.text import figure

register = template.Library()


@register.filter
def minutes(value: datetime.timedelta | None) -> int:
    """Whole minutes of a duration, for messages such as the login lockout."""
    if not value:
        return 0
    return int(value.total_seconds() // 60)


@register.filter
def add_days(value: datetime.date, days: int) -> datetime.date:
    return value + datetime.timedelta(days=int(days))


@register.filter
def minutes_to_hours(value) -> str:
    """Minutes as hours with one decimal in the active locale, rounded half up (95 → 1,6 in Vietnamese)."""
    if value in (None, ""):
        return ""
    return figure(Decimal(str(value)) / standards.MINUTES_AN_HOUR, 1)


@register.filter
def above_daily_norm(minutes) -> bool:
    """A day's standard minutes above the 8-hour norm."""
    return minutes not in (None, "") and standards.above_daily_norm(Decimal(str(minutes)))


@register.filter
def above_ten_hours(hours_a_day) -> bool:
    """An average of standard hours a working day above 10."""
    return hours_a_day not in (None, "") and standards.above_ten_hours(Decimal(str(hours_a_day)))


@register.filter
def without_evidence(entry) -> bool:
    """A diary entry of a task that needs evidence, citing none."""
    return standards.without_evidence(evidence_kind=entry.task.evidence_kind, evidence_ref=entry.evidence_ref)


@register.simple_tag
def weekly_norm_hours() -> int:
    """Hours of a working week at the norm (40)."""
    return int(standards.WEEKLY_NORM_HOURS)


@register.filter
def get_item(mapping, key):
    """``mapping[key]``, or None: a page's per-row figures kept in a dict by id."""
    return mapping.get(key) if mapping else None


@register.filter
def audit_shown(event, side: str):
    """An audit event's ``before`` or ``after`` in words: (label, text) pairs (``org.audit.shown``)."""
    from org.audit import shown

    return shown(event, side)
