"""Disciplinary measures recorded by HR: the periods containing them are rated "not completed"."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kpi_portal.history import set_history_user
from kpi_portal.text import required_text
from org import selectors as org_selectors
from org.audit import record
from org.models import User

from ..models import (
    DisciplinaryMeasure,
)


@transaction.atomic
def measure_record(
    *, person: User, decided_on: datetime.date, description: str, by: User
) -> DisciplinaryMeasure:
    """HR records a disciplinary measure: periods containing its date are rated "not completed"."""
    description = required_text(description, "description", _("Give the measure and its decision number."))
    membership = org_selectors.membership_on(person, decided_on)
    if membership is None:
        raise ValidationError({"decided_on": [_("The person did not belong to any unit on that date.")]})
    agency = membership.unit.agency
    proposed = DisciplinaryMeasure(person=person, decided_on=decided_on)
    if not by.has_perm("evaluation.record_measure", proposed):
        raise PermissionDenied(_("Only HR or an administrator records disciplinary measures."))
    if decided_on > org_selectors.today():
        raise ValidationError({"decided_on": [_("The date cannot be in the future.")]})
    measure = DisciplinaryMeasure(
        person=person, agency=agency, decided_on=decided_on, description=description[:255], recorded_by=by
    )
    set_history_user(measure, by=by)
    measure.save()
    record(
        actor=by,
        action="discipline.recorded",
        target=measure,
        agency=agency,
        person=person,
        after={"decided_on": decided_on, "description": measure.description},
    )
    return measure
