import datetime

from django import template

register = template.Library()


@register.filter
def minutes(value: datetime.timedelta | None) -> int:
    """Whole minutes of a duration, for messages such as the login lockout."""
    if not value:
        return 0
    return int(value.total_seconds() // 60)
