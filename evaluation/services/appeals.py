"""Appeals: the person contests a final evaluation in time; the agency leader upholds or amends it."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kpi_portal.history import set_history_user
from kpi_portal.text import conflict, required_text, short_date
from org import selectors as org_selectors
from org.audit import record
from org.models import Agency, Role, User
from org.notifications import notify

from .. import selectors
from ..models import (
    Appeal,
    AppealStatus,
    CriterionScore,
    MonthlyEvaluation,
)
from .records import (
    check_leader,
    check_quota,
    clean_points,
    compute,
    lock_quota,
    locked_evaluation,
    month_label,
    refresh_figures,
    save_criteria,
    save_evaluation,
    snapshot,
)


def appeal_deadline(evaluation: MonthlyEvaluation) -> datetime.date | None:
    if evaluation.finalised_at is None:
        return None
    days = selectors.scheme_of(evaluation.agency).appeal_days
    return timezone.localdate(evaluation.finalised_at) + datetime.timedelta(days=days)


def _leaders(agency: Agency) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, role_assignments__role=Role.LEADER, role_assignments__agency=agency
        ).distinct()
    )


@transaction.atomic
def appeal_file(*, evaluation: MonthlyEvaluation, by: User, reason: str) -> Appeal:
    """The person contests a final evaluation within the agency's deadline, with a written reason."""
    if not by.has_perm("evaluation.appeal_evaluation", evaluation):
        raise PermissionDenied(_("Only the person evaluated can appeal."))
    reason = required_text(reason, "reason", _("Write why you contest the evaluation."))
    evaluation = locked_evaluation(evaluation, None)
    if not evaluation.is_final:
        raise ValidationError(_("An evaluation can be appealed once it is final."))
    if Appeal.objects.filter(evaluation=evaluation).exists():
        raise ValidationError(_("You have already appealed this evaluation."))
    deadline = appeal_deadline(evaluation)
    if deadline is not None and org_selectors.today() > deadline:
        raise ValidationError(_("The time to appeal ended on %(day)s.") % {"day": short_date(deadline)})
    appeal = Appeal.objects.create(
        evaluation=evaluation,
        reason=reason,
        score_before=evaluation.total_score,
        rating_before=evaluation.rating,
    )
    record(
        actor=by,
        action="appeal.filed",
        target=appeal,
        agency=evaluation.agency,
        person=evaluation.person,
        after={"score": evaluation.total_score, "rating": evaluation.rating},
        reason=reason,
    )
    for leader in _leaders(evaluation.agency):
        if leader.pk == by.pk:
            continue
        notify(
            recipient=leader,
            key=f"appeal-filed:{appeal.pk}:{leader.pk}",
            title=_("%(name)s appealed the evaluation of %(month)s")
            % {"name": evaluation.person.get_full_name(), "month": month_label(evaluation.month)},
            body=reason,
            url=reverse("evaluation:detail", args=[evaluation.pk]),
        )
    return appeal


@transaction.atomic
def appeal_decide(
    *,
    appeal: Appeal,
    by: User,
    amend: bool,
    decision: str,
    version: int | None,
    points: Mapping[str, object] | None = None,
) -> Appeal:
    """The agency leader upholds the rating or amends the general criteria; an amendment recomputes it."""
    evaluation = appeal.evaluation
    check_leader(evaluation, by, "evaluation.decide_appeal", _("Only the agency leader decides appeals."))
    decision = required_text(decision, "decision", _("Write the decision: the person will read it."))
    lock_quota(evaluation.agency)
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.status != AppealStatus.PENDING or (version is not None and appeal.version != version):
        raise conflict()
    evaluation = locked_evaluation(evaluation, None)
    before = snapshot(evaluation)
    if amend:
        cleaned = clean_points(evaluation, points or {})
        save_criteria(evaluation, CriterionScore.By.SUPERVISOR, cleaned, {})
        compute(evaluation, cleaned)
        check_quota(evaluation, evaluation.rating)
        refresh_figures(evaluation)
        save_evaluation(
            evaluation,
            by=by,
            action="evaluation.amended",
            before=before,
            reason=decision,
            extra={"points": cleaned},
        )
    appeal.status = AppealStatus.AMENDED if amend else AppealStatus.UPHELD
    appeal.decision = decision
    appeal.decided_at = timezone.now()
    appeal.decided_by = by
    appeal.score_after = evaluation.total_score
    appeal.rating_after = evaluation.rating
    appeal.version += 1
    set_history_user(appeal, by=by)
    appeal.save()
    record(
        actor=by,
        action="appeal.decided",
        target=appeal,
        agency=evaluation.agency,
        person=evaluation.person,
        before={"status": AppealStatus.PENDING, "score": appeal.score_before, "rating": appeal.rating_before},
        after={"status": appeal.status, "score": appeal.score_after, "rating": appeal.rating_after},
        reason=decision,
    )
    recipients = {evaluation.person_id: evaluation.person}
    if evaluation.scored_by_id != by.pk and evaluation.scored_by is not None:
        recipients[evaluation.scored_by.pk] = evaluation.scored_by
    for recipient in recipients.values():
        notify(
            recipient=recipient,
            key=f"appeal-decided:{appeal.pk}:{recipient.pk}",
            title=_("Appeal on the evaluation of %(name)s, %(month)s: %(status)s")
            % {
                "name": evaluation.person.get_full_name(),
                "month": month_label(evaluation.month),
                "status": appeal.get_status_display().lower(),
            },
            body=decision,
            url=reverse("evaluation:detail", args=[evaluation.pk]),
        )
    return appeal
