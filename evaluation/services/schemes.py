"""The agency's weights (ScoringScheme): changed by its administrator, audited."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kpi_portal import standards
from kpi_portal.history import set_history_user
from kpi_portal.text import required_text
from org.audit import record
from org.models import User

from ..models import (
    ScoringScheme,
)
from .records import (
    conflict,
)

SCHEME_FIELDS = [
    "quantity_points",
    "quality_points",
    "progress_points",
    "politics_points",
    "ethics_points",
    "discipline_points",
    "attitude_points",
    "innovation_points",
    "unit_points",
    "appeal_days",
    "excellent_quota_percent",
]


@transaction.atomic
def scheme_update(
    *, scheme: ScoringScheme, by: User, values: Mapping[str, int], reason: str, version: int | None
) -> ScoringScheme:
    """Change an agency's weights within Decree 335/2025; scores computed from now use them.

    The decree fixes 70 points of task results and 30 of general criteria (the weights inside each part
    are the agency's) and an excellent quota of at most 20 % of those rated good; anything else is
    refused with the reason and nothing changes.
    """
    if not by.has_perm("evaluation.edit_scheme", scheme.agency):
        raise PermissionDenied(_("Only an administrator of the agency changes its weights."))
    reason = required_text(reason, "reason", _("Say why the weights change."))
    scheme = ScoringScheme.objects.select_for_update().select_related("agency").get(pk=scheme.pk)
    if version is not None and scheme.version != version:
        raise conflict()
    before = {name: getattr(scheme, name) for name in SCHEME_FIELDS}
    for name in SCHEME_FIELDS:
        setattr(scheme, name, values[name])
    check_decree_limits(scheme)
    scheme.full_clean()
    scheme.version += 1
    set_history_user(scheme, by=by, reason=reason)
    scheme.save()
    record(
        actor=by,
        action="scheme.changed",
        target=scheme,
        agency=scheme.agency,
        person=None,
        before=before,
        after={name: getattr(scheme, name) for name in SCHEME_FIELDS},
        reason=reason,
    )
    return scheme


def check_decree_limits(scheme: ScoringScheme) -> None:
    """The weights and quota Decree 335/2025 allows, or every reason why not (field by field)."""
    errors: dict[str, list[str]] = {}
    if not standards.split_is_legal(scheme.task_points, scheme.general_points):
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
                "given_general": scheme.general_points,
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
