"""The agency's weights (ScoringScheme): changed by its administrator, audited."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kpi_portal import standards
from kpi_portal.history import set_history_user
from kpi_portal.text import conflict, required_text
from org.audit import record
from org.models import User

from ..models import (
    CriteriaVersion,
    CriterionWeight,
    ScoringScheme,
)

# Leaders' capacity to organise the work: a change that leaves them out (None or "") keeps the agency's.
OPTIONAL_FIELDS = ("capacity_points", "capacity_levels")

SCHEME_FIELDS = [
    "quantity_points",
    "quality_points",
    "progress_points",
    "unit_points",
    "capacity_points",
    "capacity_levels",
    "appeal_days",
    "self_assessment_days",
    "excellent_quota_percent",
    "task_basis",
    "annual_deadline_day",
    "annual_groups",
]


@transaction.atomic
def scheme_update(
    *,
    scheme: ScoringScheme,
    by: User,
    values: Mapping[str, int | str],
    reason: str,
    version: int | None,
    weights: Mapping[str, int] | None = None,
) -> ScoringScheme:
    """Change an agency's weights within Decree 335/2025; scores computed from now use them.

    ``weights`` are the points of the general criteria in force today, by key (those not given keep
    theirs); only the rows that change are written. The decree fixes 70 points of task results and 30
    of general criteria (the weights inside each part are the agency's) and an excellent quota of at
    most 20 % of those rated good; anything else is refused with the reason and nothing changes.
    """
    if not by.has_perm("evaluation.edit_scheme", scheme.agency):
        raise PermissionDenied(_("Only an administrator of the agency changes its weights."))
    reason = required_text(reason, "reason", _("Say why the weights change."))
    scheme = ScoringScheme.objects.select_for_update().select_related("agency").get(pk=scheme.pk)
    if version is not None and scheme.version != version:
        raise conflict()
    criteria = list(CriteriaVersion.objects.in_force_on(timezone.localdate()).criteria.all())
    current = {c.key: scheme.criterion_points(c.key) for c in criteria}
    general = _checked_weights(current, weights or {})
    before = {name: getattr(scheme, name) for name in SCHEME_FIELDS} | {"general_criteria": current}
    for name in SCHEME_FIELDS:
        if name in OPTIONAL_FIELDS and values.get(name) in (None, ""):
            continue
        setattr(scheme, name, values[name])
    check_decree_limits(scheme, general)
    scheme.full_clean()
    scheme.version += 1
    set_history_user(scheme, by=by, reason=reason)
    scheme.save()
    for criterion in criteria:
        if general[criterion.key] == current[criterion.key]:
            continue
        row = CriterionWeight.objects.filter(scheme=scheme, criterion=criterion).first() or CriterionWeight(
            scheme=scheme, criterion=criterion
        )
        row.points = general[criterion.key]
        set_history_user(row, by=by, reason=reason)
        row.save()
    record(
        actor=by,
        action="scheme.changed",
        target=scheme,
        agency=scheme.agency,
        person=None,
        before=before,
        after={name: getattr(scheme, name) for name in SCHEME_FIELDS} | {"general_criteria": general},
        reason=reason,
    )
    return scheme


def _checked_weights(current: Mapping[str, int], given: Mapping[str, object]) -> dict[str, int]:
    """The general criteria's weights once ``given`` is applied: whole points from 0 to 30, by key."""
    errors: dict[str, list[str]] = {}
    general = dict(current)
    for key, points in given.items():
        if key not in current:
            errors[NON_FIELD_ERRORS] = [
                _("These general criteria are not the ones in force. Reload the page.")
            ]
        elif type(points) is not int or not 0 <= points <= standards.GENERAL_POINTS:
            errors[f"weight_{key}"] = [
                _("A whole number of points from 0 to %(max)s.") % {"max": standards.GENERAL_POINTS}
            ]
        else:
            general[key] = points
    if errors:
        raise ValidationError(errors)
    return general


def check_decree_limits(scheme: ScoringScheme, general: Mapping[str, int]) -> None:
    """The weights and quota Decree 335/2025 allows, or every reason why not (field by field).

    ``general`` holds the weights of the general criteria in force, by key.
    """
    errors: dict[str, list[str]] = {}
    general_points = sum(general.values())
    if not standards.split_is_legal(scheme.task_points, general_points):
        errors[NON_FIELD_ERRORS] = [
            _(
                "Decree 335/2025 fixes the score at %(task)s points of task results and %(general)s points "
                "of general criteria; these weights give %(given_task)s and %(given_general)s. Change the "
                "weights inside each part so that they add up to it."
            )
            % {
                "task": standards.TASK_POINTS,
                "general": standards.GENERAL_POINTS,
                "given_task": scheme.task_points,
                "given_general": general_points,
            }
        ]
    if not standards.quota_is_legal(scheme.excellent_quota_percent):
        errors["excellent_quota_percent"] = [
            _(
                "Decree 335/2025: those rated excellent may be at most %(max)s%% of those rated well "
                "completed in the agency; a lower quota is allowed, from 1%%."
            )
            % {"max": standards.EXCELLENT_QUOTA_MAX_PERCENT}
        ]
    if errors:
        raise ValidationError(errors)
