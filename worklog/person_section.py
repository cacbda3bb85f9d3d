"""The diary's section of the person page (registered with ``org.person_page``)."""

from __future__ import annotations

from org.person_page import Section, profile_agency
from org.selectors import today

from . import selectors
from .models import DayReopening


def diary_section(request, person, profile) -> Section | None:
    """Reopen an older day (the reviewer, HR, an administrator) and reopen approved entries (HR)."""
    user = request.user
    agency = profile_agency(profile)
    can_reopen_day = user.has_perm("worklog.reopen_day", DayReopening(person=person, date=today()))
    can_reopen_entries = agency is not None and user.has_perm("worklog.reopen_entries", agency)
    approved = selectors.recent_approved(person) if can_reopen_entries else []
    if not (can_reopen_day or approved):
        return None
    return Section(
        "worklog/_person_section.html",
        {"can_reopen_day": can_reopen_day, "approved_entries": approved},
        order=10,
    )


def open_assignments_section(request, person, profile) -> Section | None:
    """The home page's list of the user's open assignments, the earliest due first, each a click from the
    diary form filled in for it."""
    progress = selectors.open_assignments(person)
    if not progress:
        return None
    return Section("worklog/_home_assignments.html", {"open": progress, "today": today()}, order=0)


def missing_days_section(request, person, profile) -> Section | None:
    """A reviewer's home page: who logged nothing on some working day of this week or last, each a
    click from a reminder."""
    missing = selectors.missing_days(person, today())
    if not missing:
        return None
    return Section("worklog/_home_missing.html", {"missing": missing}, order=5)


def returned_section(request, person, profile) -> Section | None:
    """The person's own entries returned to them, each with the reviewer's reason and its day."""
    returned = selectors.returned_entries(person)
    if not returned:
        return None
    return Section("worklog/_home_returned.html", {"returned": returned}, order=1)
