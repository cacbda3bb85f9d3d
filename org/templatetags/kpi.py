import datetime

from django import template

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
    """Minutes as hours with one decimal in the active locale (90 → 1,5 in Vietnamese)."""
    from django.utils.formats import number_format

    if value in (None, ""):
        return ""
    return number_format(float(value) / 60, 1)
