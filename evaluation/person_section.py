"""The evaluations' section of the person page (registered with ``org.person_page``)."""

from __future__ import annotations

from kpi_portal import periods
from org import selectors as org_selectors
from org.person_page import Section, profile_agency

from . import selectors
from .models import DisciplinaryMeasure, EvaluationStatus, MonthlyEvaluation
from .services import self_assessment_deadline


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


def self_assessment_section(request, person, profile) -> Section | None:
    """The home page: the closed month the person still has to assess themself, until its deadline."""
    agency = profile_agency(profile)
    if agency is None:
        return None
    today = org_selectors.today()
    month = periods.previous_month(today)
    evaluation = selectors.evaluation_of(person, month)
    if evaluation is not None and evaluation.status != EvaluationStatus.OPEN:
        return None
    deadline = self_assessment_deadline(evaluation or MonthlyEvaluation(agency=agency, month=month))
    if today > deadline:
        return None
    return Section("evaluation/_home_self_assess.html", {"month": month, "deadline": deadline}, order=2)
