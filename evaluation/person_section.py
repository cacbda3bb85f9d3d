"""The evaluations' section of the person page (registered with ``org.person_page``)."""

from __future__ import annotations

from org import selectors as org_selectors
from org.person_page import Section

from .models import DisciplinaryMeasure


def evaluation_section(request, person, profile) -> Section | None:
    """Someone else's page links to their month's evaluation; HR records disciplinary measures there."""
    if person == request.user:
        return None
    today = org_selectors.today()
    proposed = DisciplinaryMeasure(person=person, decided_on=today)
    return Section(
        "evaluation/_person_section.html",
        {"can_record_measure": request.user.has_perm("evaluation.record_measure", proposed), "today": today},
        order=20,
    )
