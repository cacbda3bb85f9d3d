"""The agency's weights (ScoringScheme): changed by its administrator, audited."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
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
    """Change an agency's weights (they must add up to 100); scores computed from now use them."""
    if not by.has_perm("evaluation.edit_scheme", scheme.agency):
        raise PermissionDenied(_("Only an administrator of the agency changes its weights."))
    reason = required_text(reason, "reason", _("Say why the weights change."))
    scheme = ScoringScheme.objects.select_for_update().select_related("agency").get(pk=scheme.pk)
    if version is not None and scheme.version != version:
        raise conflict()
    before = {name: getattr(scheme, name) for name in SCHEME_FIELDS}
    for name in SCHEME_FIELDS:
        setattr(scheme, name, values[name])
    if not standards.points_add_up(scheme.task_points, scheme.general_points):
        raise ValidationError(
            _("The points add up to %(total)s; they must add up to 100.")
            % {"total": scheme.task_points + scheme.general_points}
        )
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
