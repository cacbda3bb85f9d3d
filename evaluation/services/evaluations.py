"""The monthly evaluation: opened, self-assessed, scored by the reviewer, finalised by the leader.

Nobody scores or finalises their own work; finalising keeps the excellent quota and takes a
unit's members before its head.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kpi_portal import periods
from kpi_portal.text import REASON_MAX, figure, short_date
from org import calendar
from org import selectors as org_selectors
from org.models import User
from org.notifications import notify
from worklog import lifecycle
from worklog.models import DiaryEntry, EntryStatus

from .. import leaders, scoring, selectors
from ..models import (
    Appeal,
    AppealStatus,
    CriterionScore,
    EvaluationStatus,
    MonthlyEvaluation,
    Rating,
)
from .records import (
    check_leader,
    check_quota,
    clean_capacity,
    clean_points,
    compute,
    lock_quota,
    locked_evaluation,
    month_label,
    refresh_figures,
    save_criteria,
    save_evaluation,
    snapshot,
    supervisor_points,
)


def evaluator_of(evaluation: MonthlyEvaluation) -> User | None:
    """Who scores the month: the person's reviewer on the month's reference day."""
    return org_selectors.reviewer_for(evaluation.person, selectors.reference_day(evaluation.month))


@transaction.atomic
def evaluation_open(*, person: User, month: datetime.date) -> MonthlyEvaluation:
    """The person's evaluation of a month, created when first needed; placed where the person was."""
    month = periods.month_start(month)
    if month > periods.month_start(org_selectors.today()):
        raise ValidationError(_("A month is evaluated once it has begun."))
    existing = selectors.evaluation_of(person, month)
    if existing is not None:
        return existing
    membership = org_selectors.membership_on(person, selectors.reference_day(month))
    if membership is None:
        raise ValidationError(
            _("%(name)s did not belong to any unit in %(month)s.")
            % {"name": person.get_full_name(), "month": month_label(month)}
        )
    evaluation, _created = MonthlyEvaluation.objects.get_or_create(
        person=person,
        month=month,
        defaults={
            "agency": membership.unit.agency,
            "unit": membership.unit,
            "is_unit_head": membership.is_head,
        },
    )
    return evaluation


def self_assessment_deadline(evaluation: MonthlyEvaluation) -> datetime.date:
    """The last day the person may assess themself before the supervisor scores without it: the
    agency's ``self_assessment_days``-th working day of the month after (one person who never does
    must not hold up the month)."""
    days = selectors.scheme_of(evaluation.agency).self_assessment_days
    start = periods.next_month(evaluation.month)
    working = calendar.working_days(evaluation.agency, start, start + datetime.timedelta(days=days * 2 + 40))
    return working[days - 1] if len(working) >= days else periods.month_end(start)


@transaction.atomic
def self_assess(
    *,
    evaluation: MonthlyEvaluation,
    by: User,
    points: Mapping[str, object],
    comments: Mapping[str, str],
    comment: str,
    version: int | None,
) -> MonthlyEvaluation:
    """The person scores the general criteria themself first; they may redo it until the supervisor scores."""
    if not by.has_perm("evaluation.self_assess", evaluation):
        raise PermissionDenied(_("Only the person assesses themself."))
    evaluation = locked_evaluation(evaluation, version)
    if evaluation.status not in (EvaluationStatus.OPEN, EvaluationStatus.SELF_ASSESSED):
        raise ValidationError(
            _("Your supervisor has already scored this month; the self-assessment is closed.")
        )
    cleaned = clean_points(evaluation, points)
    before = snapshot(evaluation)
    save_criteria(evaluation, CriterionScore.By.SELF, cleaned, comments)
    evaluation.self_comment = comment.strip()[:REASON_MAX]
    evaluation.status = EvaluationStatus.SELF_ASSESSED
    evaluation.self_assessed_at = timezone.now()
    save_evaluation(
        evaluation, by=by, action="evaluation.self_assessed", before=before, extra={"self_points": cleaned}
    )
    return evaluation


@transaction.atomic
def evaluation_score(
    *,
    evaluation: MonthlyEvaluation,
    by: User,
    points: Mapping[str, object],
    comments: Mapping[str, str],
    comment: str,
    version: int | None,
    capacity: object = None,
) -> MonthlyEvaluation:
    """The supervisor scores the general criteria; task results are computed from approved entries.

    A leader's reviewer also chooses the level of their capacity to organise the work (``capacity``,
    one of the agency's levels in percent); left out, the level chosen before stays (0 until one is).
    """
    if not by.has_perm("evaluation.score_evaluation", evaluation):
        if by.pk == evaluation.person_id:
            raise PermissionDenied(_("Nobody scores their own evaluation."))
        raise PermissionDenied(_("Only the person's supervisor scores their month."))
    evaluation = locked_evaluation(evaluation, version)
    deadline = self_assessment_deadline(evaluation)
    if evaluation.status == EvaluationStatus.OPEN and org_selectors.today() <= deadline:
        raise ValidationError(
            _(
                "%(name)s has not assessed themself yet; the self-assessment comes first, until %(day)s. "
                "After that day you score without it."
            )
            % {"name": evaluation.person.get_full_name(), "day": short_date(deadline)}
        )
    if evaluation.is_final:
        raise ValidationError(_("This evaluation is final; only an appeal can change it."))
    cleaned = clean_points(evaluation, points)
    level = clean_capacity(evaluation, capacity) if capacity is not None else evaluation.capacity_percent
    before = snapshot(evaluation) | {"capacity_percent": evaluation.capacity_percent}
    save_criteria(evaluation, CriterionScore.By.SUPERVISOR, cleaned, comments)
    evaluation.capacity_percent = level
    compute(evaluation, cleaned)
    evaluation.supervisor_comment = comment.strip()[:REASON_MAX]
    evaluation.status = EvaluationStatus.SCORED
    evaluation.scored_at = timezone.now()
    evaluation.scored_by = by
    extra: dict[str, object] = {"points": cleaned}
    if level is not None:
        extra["capacity_percent"] = level
    save_evaluation(evaluation, by=by, action="evaluation.scored", before=before, extra=extra)
    return evaluation


@transaction.atomic
def evaluation_finalise(*, evaluation: MonthlyEvaluation, by: User, version: int | None) -> MonthlyEvaluation:
    """The agency leader makes the rating final, within the quota; the person is told and may appeal."""
    check_leader(
        evaluation, by, "evaluation.finalise_evaluation", _("Only the agency leader finalises evaluations.")
    )
    lock_quota(evaluation.agency)
    evaluation = locked_evaluation(evaluation, version)
    if evaluation.status != EvaluationStatus.SCORED:
        raise ValidationError(
            _("Only evaluations scored by the supervisor are finalised; this one is %(status)s.")
            % {"status": evaluation.get_status_display().lower()}
        )
    check_month_closed(evaluation)
    scope = leaders.leader_scope(evaluation)
    if scope is not None:
        missing = scope.not_final()
        if missing:
            raise ValidationError(
                _("Finalise the unit's members first (their ratings count in %(name)s's score): %(names)s.")
                % {
                    "name": evaluation.person.get_full_name(),
                    "names": ", ".join(m.get_full_name() for m in missing),
                }
            )
    before = snapshot(evaluation)
    compute(evaluation, supervisor_points(evaluation))
    check_quota(evaluation, evaluation.rating)
    evaluation.status = EvaluationStatus.FINAL
    evaluation.finalised_at = timezone.now()
    evaluation.finalised_by = by
    save_evaluation(evaluation, by=by, action="evaluation.finalised", before=before)
    refresh_figures(evaluation)
    scheme = selectors.scheme_of(evaluation.agency)
    notify(
        recipient=evaluation.person,
        key=f"evaluation-final:{evaluation.pk}:{evaluation.version}",
        title=_("Your evaluation of %(month)s is final") % {"month": month_label(evaluation.month)},
        body=_("%(score)s points, %(rating)s. You may appeal within %(days)s days.")
        % {
            "score": figure(evaluation.total_score),
            "rating": evaluation.get_rating_display(),
            "days": scheme.appeal_days,
        },
        url=reverse("evaluation:detail", args=[evaluation.pk]),
    )
    return evaluation


def check_month_closed(evaluation: MonthlyEvaluation) -> None:
    """A month is final only once it is closed (its last working day passed) and nothing of the
    person's in it still waits for review: until then its score could still change."""
    if not calendar.month_closed(evaluation.agency, evaluation.month, org_selectors.today()):
        raise ValidationError(
            _("%(month)s is still open: a month is finalised once its last working day has passed.")
            % {"month": month_label(evaluation.month)}
        )
    waiting = DiaryEntry.objects.filter(
        person_id=evaluation.person_id,
        date__range=(evaluation.month, periods.month_end(evaluation.month)),
        status=EntryStatus.SUBMITTED,
    ).count()
    if waiting:
        raise ValidationError(
            ngettext(
                "%(count)s entry of %(name)s in %(month)s still waits for review: approve, return or "
                "exclude it.",
                "%(count)s entries of %(name)s in %(month)s still wait for review: approve, return or "
                "exclude them.",
                waiting,
            )
            % {
                "count": waiting,
                "name": evaluation.person.get_full_name(),
                "month": month_label(evaluation.month),
            }
        )


def _finalise_order(evaluation: MonthlyEvaluation) -> tuple[int, int]:
    # Members before whoever leads them (a leader's score needs theirs), good before excellent (quota).
    return (
        leaders.FINALISE_RANK[leaders.leader_kind(evaluation)],
        scoring.RATING_ORDER.index(evaluation.rating or Rating.NOT_COMPLETED),
    )


@transaction.atomic
def evaluations_finalise(*, evaluations: Mapping[int, int], by: User) -> int:
    """Finalise several evaluations (id → version seen) at once: all of them or none."""
    if not evaluations:
        raise ValidationError(_("Choose at least one evaluation to finalise."))
    found = list(
        MonthlyEvaluation.objects.filter(pk__in=list(evaluations)).select_related("person", "agency", "unit")
    )
    if len(found) != len(evaluations):
        raise ValidationError(_("Some of these evaluations no longer exist. Reload the page."))
    for evaluation in sorted(found, key=_finalise_order):
        evaluation_finalise(evaluation=evaluation, by=by, version=evaluations[evaluation.pk])
    return len(found)


@transaction.atomic
def objective_cause_confirm(*, entry: DiaryEntry, by: User, reason: str) -> DiaryEntry:
    """A leader confirms an objective cause: the entry's error and delay deductions no longer count.

    Once the month's evaluation is final, a change goes through an appeal; a month
    already scored is computed again at once.
    """
    evaluation = selectors.evaluation_of(entry.person, periods.month_start(entry.date))
    if (
        evaluation is not None
        and evaluation.is_final
        and not Appeal.objects.filter(evaluation=evaluation, status=AppealStatus.PENDING).exists()
    ):
        raise ValidationError(_("The month's evaluation is final: a change now goes through an appeal."))
    entry = lifecycle.entry_exempt(entry=entry, by=by, reason=reason)
    if evaluation is not None and evaluation.status == EvaluationStatus.SCORED:
        evaluation = locked_evaluation(evaluation, None)
        before = snapshot(evaluation)
        compute(evaluation, supervisor_points(evaluation))
        save_evaluation(evaluation, by=by, action="evaluation.recomputed", before=before, reason=reason)
    return entry
