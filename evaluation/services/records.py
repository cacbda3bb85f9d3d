"""Shared steps of the evaluation services: locking, computing and saving an evaluation with its audit.

Writes lock the rows they change and compare the version the user saw, so two people acting at
once never both win: the second gets a clear conflict message and nothing changes.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assignments.services import recurring_issue
from kpi_portal.history import set_history_user
from kpi_portal.text import REASON_MAX, conflict
from org.audit import record
from org.figures import people_changed
from org.models import Agency, User

from .. import leaders, scoring, selectors
from ..models import (
    CriterionScore,
    MonthlyEvaluation,
    Rating,
    ScoringScheme,
    TaskBasis,
)


def month_label(month: datetime.date) -> str:
    return date_format(month, "YEAR_MONTH_FORMAT")


def locked_evaluation(evaluation: MonthlyEvaluation, version: int | None) -> MonthlyEvaluation:
    current = (
        MonthlyEvaluation.objects.select_for_update(of=("self",))
        .select_related("person", "agency", "unit")
        .get(pk=evaluation.pk)
    )
    if version is not None and current.version != version:
        raise conflict()
    return current


def clean_points(evaluation: MonthlyEvaluation, points: Mapping[str, object]) -> dict[str, Decimal]:
    """Check the points of each general criterion of the evaluation's version (by key): a number from 0
    to the agency's weight of it, two decimals at most."""
    scheme = selectors.scheme_of(evaluation.agency)
    errors: dict[str, list[str]] = {}
    cleaned = {}
    for criterion in selectors.general_criteria(evaluation):
        weight = scheme.criterion_points(criterion.key)
        try:
            value = Decimal(str(points.get(criterion.key, "")).replace(",", "."))
        except InvalidOperation:
            errors[criterion.key] = [_("Give a number.")]
            continue
        if (
            not value.is_finite()
            or not (0 <= value <= weight)
            or cast(int, value.as_tuple().exponent) < -2  # an int: the value is finite
        ):
            errors[criterion.key] = [
                _("%(criterion)s: from 0 to %(max)s points, two decimals at most.")
                % {"criterion": criterion.name, "max": weight}
            ]
            continue
        cleaned[criterion.key] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def save_criteria(
    evaluation: MonthlyEvaluation, by_role: str, points: Mapping[str, Decimal], comments: Mapping[str, str]
) -> None:
    """Save the points (by criterion key, as ``clean_points`` gives them) of ``by_role``."""
    criteria = {criterion.key: criterion for criterion in selectors.general_criteria(evaluation)}
    for key, value in points.items():
        CriterionScore.objects.update_or_create(
            evaluation=evaluation,
            criterion=criteria[key],
            by=by_role,
            defaults={"points": value, "comment": (comments.get(key) or "").strip()[:REASON_MAX]},
        )


def supervisor_points(evaluation: MonthlyEvaluation) -> dict[str, Decimal]:
    """The supervisor's points by criterion key."""
    return dict(
        CriterionScore.objects.filter(evaluation=evaluation, by=CriterionScore.By.SUPERVISOR).values_list(
            "criterion__key", "points"
        )
    )


def clean_capacity(evaluation: MonthlyEvaluation, capacity: object) -> int | None:
    """Check a leader's capacity level: one of the agency's levels (percent), required for a leader;
    nobody else is scored on it."""
    if leaders.leader_kind(evaluation) is None:
        if capacity not in (None, ""):
            raise ValidationError(
                {"capacity": _("Only leaders are scored on their capacity to organise the work.")}
            )
        return None
    levels = selectors.scheme_of(evaluation.agency).capacity_scale
    try:
        value = int(str(capacity))
    except ValueError:
        value = None
    if value not in levels:
        raise ValidationError(
            {
                "capacity": _("Choose the capacity to organise the work among %(levels)s %%.")
                % {"levels": ", ".join(str(level) for level in levels)}
            }
        )
    return value


def compute(evaluation: MonthlyEvaluation, points: Mapping[str, Decimal]) -> scoring.TaskResult:
    """Fill the evaluation's computed parts from the month's approved entries and ``points``.

    A leader's parts come from ``leaders``: the unit component from the rated members of what they
    lead, the capacity from the level the reviewer chose (``capacity_percent``, 0 until chosen).
    """
    scheme = selectors.scheme_of(evaluation.agency)
    month_end = evaluation.month_end
    scope, factor = leaders.unit_factor_of(evaluation)
    if scheme.task_basis == TaskBasis.ASSIGNED:
        # The job positions' routine of the month is issued first, should its hourly run have been missed.
        recurring_issue(agency=evaluation.agency, month=evaluation.month)
    result = selectors.month_work(
        evaluation, scheme, factor, capacity_ratio=leaders.capacity_ratio_of(evaluation, scope)
    ).result
    evaluation.disciplined = bool(selectors.disciplined_in(evaluation.person, evaluation.month, month_end))
    # The rating is decided on the exact total; the stored figures are rounded toward it.
    stored = scoring.stored_score(
        result, scoring.general_score(scheme, points), disciplined=evaluation.disciplined
    )
    evaluation.working_days = result.working_days
    evaluation.task_basis = result.basis
    evaluation.expected_minutes = result.expected_minutes
    evaluation.approved_minutes = result.approved_minutes
    evaluation.quantity_score = stored.quantity
    evaluation.quality_score = stored.quality
    evaluation.progress_score = stored.progress
    evaluation.unit_score = stored.unit
    evaluation.capacity_score = stored.capacity
    evaluation.task_score = stored.task
    evaluation.general_score = stored.general
    evaluation.total_score = stored.total
    evaluation.rating = stored.rating
    return result


def snapshot(evaluation: MonthlyEvaluation) -> dict[str, object]:
    return {
        "status": evaluation.status,
        "task_score": evaluation.task_score,
        "general_score": evaluation.general_score,
        "total_score": evaluation.total_score,
        "rating": evaluation.rating,
    }


def save_evaluation(
    evaluation: MonthlyEvaluation,
    *,
    by: User,
    action: str,
    before: dict[str, object],
    reason: str = "",
    extra: dict[str, object] | None = None,
) -> None:
    """Save a changed evaluation with a new version, its history and its audit event."""
    evaluation.version += 1
    set_history_user(evaluation, by=by, reason=reason or None)
    evaluation.save()
    record(
        actor=by,
        action=action,
        target=evaluation,
        before=before,
        after=snapshot(evaluation) | (extra or {}),
        reason=reason,
    )


def refresh_figures(evaluation: MonthlyEvaluation) -> None:
    """A final score or rating shows in the month's figures once computed again."""
    people_changed({(evaluation.agency_id, evaluation.month, evaluation.person_id)})


def lock_quota(agency: Agency) -> None:
    """Serialize every decision that counts against the agency's excellent quota.

    Two leaders finalising "excellent" at the same moment with one slot left would
    both count the others without seeing each other. So finalising, bulk
    finalising and deciding an appeal first lock the agency's weights row (one per
    agency), before any evaluation row, and hold it until they commit: the second
    waits, then counts the first one's rating. Taking it first, always, keeps
    two batches from waiting on each other.
    """
    scheme = selectors.scheme_of(agency)
    ScoringScheme.objects.select_for_update().filter(pk=scheme.pk).values_list("pk", flat=True).get()


def check_quota(evaluation: MonthlyEvaluation, rating: str) -> None:
    """Refuse an excellent rating beyond the quota (call ``lock_quota`` first, in the same transaction)."""
    if rating != Rating.EXCELLENT:
        return
    found = selectors.quota(evaluation.agency, evaluation.month, counting=evaluation, rating=rating)
    if found.exceeded:
        raise ValidationError(
            _(
                "Rating %(name)s excellent would make %(excellent)s excellent for %(good)s rated good; "
                "at most %(percent)s%% of those rated good (%(allowed)s) may be excellent."
            )
            % {
                "name": evaluation.person.get_full_name(),
                "excellent": found.excellent,
                "good": found.good,
                "percent": found.percent,
                "allowed": found.allowed,
            }
        )


def check_leader(evaluation: MonthlyEvaluation, by: User, perm: str, message: str) -> None:
    """``by`` has ``perm`` (a leader's, in ``evaluation.rules``) on the evaluation, or is told why not."""
    if by.has_perm(perm, evaluation):
        return
    if by.pk == evaluation.person_id:
        raise PermissionDenied(_("Nobody finalises or decides on their own evaluation."))
    raise PermissionDenied(message)
