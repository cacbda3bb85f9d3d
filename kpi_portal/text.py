"""Small helpers every app's services and views share: reasons, dates and figures in messages, returns."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.formats import date_format, number_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from kpi_portal import standards

REASON_MAX = 2000


def conflict() -> ValidationError:
    """The answer to a write based on a version somebody else has changed since (optimistic locking)."""
    return ValidationError(
        _("Somebody else changed this in the meantime. Reload the page to see their change, then try again.")
    )


def required_text(value: str, field: str, message: str, *, limit: int = REASON_MAX) -> str:
    """A reason, decision or justification someone must write: stripped, not empty, not too long."""
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: [message]})
    if len(value) > limit:
        raise ValidationError({field: [_("Write at most %(max)s characters.") % {"max": limit}]})
    return value


def short_date(day: datetime.date) -> str:
    """A date as the active language writes it in messages (dd/mm/yyyy in Vietnamese)."""
    return date_format(day, "SHORT_DATE_FORMAT")


def figure(value: Decimal | int | float, places: int = standards.DISPLAY_PLACES) -> str:
    """A figure as the active language writes it (8,39 in Vietnamese), rounded by the one rule.

    ``number_format`` alone cuts the digits off (8,385 would read 8,38); this rounds half up first.
    """
    return number_format(standards.rounded(value, places), places)


def safe_next(request, default: str) -> str:
    """The page to go back to (``next``), when it is on this site; ``default`` otherwise."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return default
