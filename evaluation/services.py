"""Writes of review and scoring. Every rule lives here with its message; every change is audited.

Reviewers approve or return entries and never change their content. Nobody
reviews, scores or finalises their own work. Writes lock the rows they change
and compare the version the user saw, so two people acting at once never
both win: the second gets a clear conflict message and nothing changes.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from kpi_portal.text import REASON_MAX, required_text, short_date
from org import calendar
from org import selectors as org_selectors
from org.audit import record
from org.models import Agency, Role, User
from org.notifications import notify
from reports import services as report_services
from worklog.models import MAX_MARKS, DiaryEntry, EntryStatus

from . import scoring, selectors
from .models import (
    Appeal,
    AppealStatus,
    Criterion,
    CriterionScore,
    DisciplinaryMeasure,
    EvaluationStatus,
    MonthlyEvaluation,
    Rating,
    ScoringScheme,
)


def _month(month: datetime.date) -> str:
    return date_format(month, "YEAR_MONTH_FORMAT")


def _conflict() -> ValidationError:
    return ValidationError(
        _("Somebody else changed this in the meantime. Reload the page to see their change, then try again.")
    )


# Review of entries ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Approval:
    """An entry to approve: the version the reviewer saw and the marks they gave."""

    version: int
    major_errors: int = 0
    delays: int = 0


def _reviewers(entries: Iterable[DiaryEntry]) -> dict[tuple[int, datetime.date], int]:
    """(person, date) → reviewer, three queries per agency involved."""
    dates: dict[int, list[datetime.date]] = defaultdict(list)
    for entry in entries:
        dates[entry.agency_id].append(entry.date)
    found = {}
    for agency_id, days in dates.items():
        for day, reviewers in org_selectors.review_maps(agency_id, min(days), max(days)).items():
            for person_id, reviewer_id in reviewers.items():
                found[(person_id, day)] = reviewer_id
    return found


def _check_reviewer(entries: list[DiaryEntry], by: User) -> None:
    reviewers = _reviewers(entries)
    for entry in entries:
        if entry.person_id == by.pk:
            raise PermissionDenied(_("Nobody reviews their own entries."))
        if reviewers.get((entry.person_id, entry.date)) != by.pk:
            raise PermissionDenied(
                _("You do not review the work of %(name)s on %(day)s.")
                % {"name": entry.person.get_full_name(), "day": short_date(entry.date)}
            )


def _entry_label(entry: DiaryEntry) -> str:
    return f"{entry.person.get_full_name()}, {short_date(entry.date)}, {entry.task.code}"


@transaction.atomic
def entries_approve(*, approvals: Mapping[int, Approval], by: User) -> int:
    """Approve submitted entries, all of them or none, with the reviewer's marks for the score."""
    if not approvals:
        raise ValidationError(_("Choose at least one entry to approve."))
    for approval in approvals.values():
        if not (0 <= approval.major_errors <= MAX_MARKS and 0 <= approval.delays <= MAX_MARKS):
            raise ValidationError(
                _("Major errors and delays are counted from 0 to %(max)s.") % {"max": MAX_MARKS}
            )
    entries = list(
        DiaryEntry.objects.select_for_update(of=("self",))
        .filter(pk__in=list(approvals))
        .select_related("person", "task")
        .order_by("pk")
    )
    if len(entries) != len(approvals):
        raise ValidationError(_("Some of these entries were deleted in the meantime. Reload the queue."))
    _check_reviewer(entries, by)
    conflicts = [
        e for e in entries if e.status != EntryStatus.SUBMITTED or e.version != approvals[e.pk].version
    ]
    if conflicts:
        raise ValidationError(
            [
                _(
                    "%(entry)s was changed in the meantime (it is now %(status)s). "
                    "Nothing was approved; reload the queue."
                )
                % {"entry": _entry_label(e), "status": e.get_status_display().lower()}
                for e in conflicts
            ]
        )
    now = timezone.now()
    for entry in entries:
        approval = approvals[entry.pk]
        entry.status = EntryStatus.APPROVED
        entry.reviewed_at = now
        entry.reviewed_by = by
        entry.major_errors = approval.major_errors
        entry.delays = approval.delays
        entry.version += 1
        entry._history_user = by  # type: ignore[attr-defined]
        entry.save(
            update_fields=[
                "status",
                "reviewed_at",
                "reviewed_by",
                "major_errors",
                "delays",
                "version",
                "updated_at",
            ]
        )
        record(
            actor=by,
            action="entry.approved",
            target=entry,
            before={"status": EntryStatus.SUBMITTED},
            after={
                "status": EntryStatus.APPROVED,
                "major_errors": entry.major_errors,
                "delays": entry.delays,
            },
        )
    # A late approval changes the figures of a month already computed: compute it again.
    report_services.recompute_later(report_services.months_touched(entries))
    return len(entries)


@transaction.atomic
def entry_return(*, entry: DiaryEntry, by: User, reason: str, version: int | None) -> DiaryEntry:
    """Send a submitted entry back to its owner with a reason they will see."""
    reason = required_text(reason, "reason", _("Say why the entry is returned: the person will read it."))
    entry = (
        DiaryEntry.objects.select_for_update(of=("self",)).select_related("person", "task").get(pk=entry.pk)
    )
    _check_reviewer([entry], by)
    if entry.status != EntryStatus.SUBMITTED or (version is not None and entry.version != version):
        raise ValidationError(
            _("%(entry)s was changed in the meantime (it is now %(status)s). Reload the queue.")
            % {"entry": _entry_label(entry), "status": entry.get_status_display().lower()}
        )
    entry.status = EntryStatus.RETURNED
    entry.return_reason = reason
    entry.reviewed_at = timezone.now()
    entry.reviewed_by = by
    entry.version += 1
    entry._history_user = by  # type: ignore[attr-defined]
    entry._change_reason = reason  # type: ignore[attr-defined]
    entry.save(
        update_fields=["status", "return_reason", "reviewed_at", "reviewed_by", "version", "updated_at"]
    )
    record(
        actor=by,
        action="entry.returned",
        target=entry,
        before={"status": EntryStatus.SUBMITTED},
        after={"status": EntryStatus.RETURNED},
        reason=reason,
    )
    report_services.recompute_later(report_services.months_touched([entry]))
    notify(
        recipient=entry.person,
        key=f"entry-returned:{entry.pk}:{entry.version}",
        title=_("Your entry of %(day)s was returned") % {"day": short_date(entry.date)},
        body=_("%(name)s returned %(code)s: %(reason)s")
        % {"name": by.get_full_name(), "code": entry.task.code, "reason": reason},
        url=reverse("worklog:day", args=[entry.date.isoformat()]),
    )
    return entry


# Evaluations ------------------------------------------------------------------------------------


def is_leader(user: User, agency: Agency) -> bool:
    return org_selectors.access_scope(user).has_role(agency, Role.LEADER)


def evaluator_of(evaluation: MonthlyEvaluation) -> User | None:
    """Who scores the month: the person's reviewer on the month's reference day."""
    return org_selectors.reviewer_for(evaluation.person, selectors.reference_day(evaluation.month))


@transaction.atomic
def evaluation_open(*, person: User, month: datetime.date) -> MonthlyEvaluation:
    """The person's evaluation of a month, created when first needed; placed where the person was."""
    month = selectors.month_start(month)
    if month > selectors.month_start(org_selectors.today()):
        raise ValidationError(_("A month is evaluated once it has begun."))
    existing = selectors.evaluation_of(person, month)
    if existing is not None:
        return existing
    membership = org_selectors.membership_on(person, selectors.reference_day(month))
    if membership is None:
        raise ValidationError(
            _("%(name)s did not belong to any unit in %(month)s.")
            % {"name": person.get_full_name(), "month": _month(month)}
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


def _locked_evaluation(evaluation: MonthlyEvaluation, version: int | None) -> MonthlyEvaluation:
    current = (
        MonthlyEvaluation.objects.select_for_update(of=("self",))
        .select_related("person", "agency", "unit")
        .get(pk=evaluation.pk)
    )
    if version is not None and current.version != version:
        raise _conflict()
    return current


def clean_points(scheme: ScoringScheme, points: Mapping[str, object]) -> dict[str, Decimal]:
    """Check each general criterion's points: a number from 0 to its weight, two decimals at most."""
    errors: dict[str, list[str]] = {}
    cleaned = {}
    for criterion in Criterion:
        weight = scheme.criterion_points(criterion.value)
        try:
            value = Decimal(str(points.get(criterion.value, "")).replace(",", "."))
        except InvalidOperation:
            errors[criterion.value] = [_("Give a number.")]
            continue
        if not value.is_finite() or not (0 <= value <= weight) or value.as_tuple().exponent < -2:
            errors[criterion.value] = [
                _("%(criterion)s: from 0 to %(max)s points, two decimals at most.")
                % {"criterion": criterion.label, "max": weight}
            ]
            continue
        cleaned[criterion.value] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def _save_criteria(
    evaluation: MonthlyEvaluation, by_role: str, points: Mapping[str, Decimal], comments: Mapping[str, str]
) -> None:
    for criterion, value in points.items():
        CriterionScore.objects.update_or_create(
            evaluation=evaluation,
            criterion=criterion,
            by=by_role,
            defaults={"points": value, "comment": (comments.get(criterion) or "").strip()[:REASON_MAX]},
        )


def _supervisor_points(evaluation: MonthlyEvaluation) -> dict[str, Decimal]:
    return {
        c.criterion: c.points
        for c in CriterionScore.objects.filter(evaluation=evaluation, by=CriterionScore.By.SUPERVISOR)
    }


def _member_ratings(evaluation: MonthlyEvaluation, *, final_only: bool) -> tuple[list[str], list[User]]:
    """Ratings of the unit's members for the month, and the members not yet rated (or not final)."""
    ratings, missing = [], []
    for member, member_evaluation in selectors.member_evaluations(evaluation):
        done = (
            member_evaluation is not None
            and member_evaluation.rating
            and (member_evaluation.is_final or not final_only)
        )
        if done:
            ratings.append(member_evaluation.rating)
        else:
            missing.append(member)
    return ratings, missing


def compute(evaluation: MonthlyEvaluation, points: Mapping[str, Decimal]) -> scoring.TaskResult:
    """Fill the evaluation's computed parts from the month's approved entries and ``points``."""
    scheme = selectors.scheme_of(evaluation.agency)
    month_end = selectors.month_end(evaluation.month)
    working_days = len(calendar.working_days(evaluation.agency, evaluation.month, month_end))
    factor = None
    if evaluation.is_unit_head:
        ratings, _missing = _member_ratings(evaluation, final_only=False)
        factor = scoring.unit_factor(ratings)
    result = scoring.task_result(
        scheme,
        selectors.entry_marks(selectors.month_entries(evaluation.person, evaluation.month)),
        working_days,
        unit_factor=factor,
    )
    evaluation.working_days = working_days
    evaluation.approved_minutes = result.approved_minutes
    evaluation.quantity_score = result.quantity
    evaluation.quality_score = result.quality
    evaluation.progress_score = result.progress
    evaluation.unit_score = result.unit
    evaluation.task_score = result.total
    evaluation.general_score = scoring.general_score(scheme, points)
    evaluation.total_score = evaluation.task_score + evaluation.general_score
    evaluation.disciplined = bool(selectors.disciplined_in(evaluation.person, evaluation.month, month_end))
    evaluation.rating = scoring.rating_for(evaluation.total_score, disciplined=evaluation.disciplined)
    return result


def _snapshot(evaluation: MonthlyEvaluation) -> dict[str, object]:
    return {
        "status": evaluation.status,
        "task_score": evaluation.task_score,
        "general_score": evaluation.general_score,
        "total_score": evaluation.total_score,
        "rating": evaluation.rating,
    }


def _save(
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
    evaluation._history_user = by  # type: ignore[attr-defined]
    evaluation._change_reason = reason or None  # type: ignore[attr-defined]
    evaluation.save()
    record(
        actor=by,
        action=action,
        target=evaluation,
        before=before,
        after=_snapshot(evaluation) | (extra or {}),
        reason=reason,
    )


def _refresh_figures(evaluation: MonthlyEvaluation) -> None:
    """A final score or rating shows in the month's figures once computed again."""
    report_services.recompute_later(
        report_services.months_computed({(evaluation.agency_id, evaluation.month)})
    )


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
    if by.pk != evaluation.person_id:
        raise PermissionDenied(_("Only the person assesses themself."))
    evaluation = _locked_evaluation(evaluation, version)
    if evaluation.status not in (EvaluationStatus.OPEN, EvaluationStatus.SELF_ASSESSED):
        raise ValidationError(
            _("Your supervisor has already scored this month; the self-assessment is closed.")
        )
    cleaned = clean_points(selectors.scheme_of(evaluation.agency), points)
    before = _snapshot(evaluation)
    _save_criteria(evaluation, CriterionScore.By.SELF, cleaned, comments)
    evaluation.self_comment = comment.strip()[:REASON_MAX]
    evaluation.status = EvaluationStatus.SELF_ASSESSED
    evaluation.self_assessed_at = timezone.now()
    _save(evaluation, by=by, action="evaluation.self_assessed", before=before, extra={"self_points": cleaned})
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
) -> MonthlyEvaluation:
    """The supervisor scores the general criteria; task results are computed from approved entries."""
    if by.pk == evaluation.person_id:
        raise PermissionDenied(_("Nobody scores their own evaluation."))
    if evaluator_of(evaluation) != by:
        raise PermissionDenied(_("Only the person's supervisor scores their month."))
    evaluation = _locked_evaluation(evaluation, version)
    if evaluation.status == EvaluationStatus.OPEN:
        raise ValidationError(
            _("%(name)s has not assessed themself yet; the self-assessment comes first.")
            % {"name": evaluation.person.get_full_name()}
        )
    if evaluation.is_final:
        raise ValidationError(_("This evaluation is final; only an appeal can change it."))
    cleaned = clean_points(selectors.scheme_of(evaluation.agency), points)
    before = _snapshot(evaluation)
    _save_criteria(evaluation, CriterionScore.By.SUPERVISOR, cleaned, comments)
    compute(evaluation, cleaned)
    evaluation.supervisor_comment = comment.strip()[:REASON_MAX]
    evaluation.status = EvaluationStatus.SCORED
    evaluation.scored_at = timezone.now()
    evaluation.scored_by = by
    _save(evaluation, by=by, action="evaluation.scored", before=before, extra={"points": cleaned})
    return evaluation


def _check_quota(evaluation: MonthlyEvaluation, rating: str) -> None:
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


def _check_leader(evaluation: MonthlyEvaluation, by: User, message: str) -> None:
    if by.pk == evaluation.person_id:
        raise PermissionDenied(_("Nobody finalises or decides on their own evaluation."))
    if not is_leader(by, evaluation.agency):
        raise PermissionDenied(message)


@transaction.atomic
def evaluation_finalise(*, evaluation: MonthlyEvaluation, by: User, version: int | None) -> MonthlyEvaluation:
    """The agency leader makes the rating final, within the quota; the person is told and may appeal."""
    _check_leader(evaluation, by, _("Only the agency leader finalises evaluations."))
    evaluation = _locked_evaluation(evaluation, version)
    if evaluation.status != EvaluationStatus.SCORED:
        raise ValidationError(
            _("Only evaluations scored by the supervisor are finalised; this one is %(status)s.")
            % {"status": evaluation.get_status_display().lower()}
        )
    if evaluation.is_unit_head:
        _ratings, missing = _member_ratings(evaluation, final_only=True)
        if missing:
            raise ValidationError(
                _("Finalise the unit's members first (their ratings count in %(name)s's score): %(names)s.")
                % {
                    "name": evaluation.person.get_full_name(),
                    "names": ", ".join(m.get_full_name() for m in missing),
                }
            )
    before = _snapshot(evaluation)
    compute(evaluation, _supervisor_points(evaluation))
    _check_quota(evaluation, evaluation.rating)
    evaluation.status = EvaluationStatus.FINAL
    evaluation.finalised_at = timezone.now()
    evaluation.finalised_by = by
    _save(evaluation, by=by, action="evaluation.finalised", before=before)
    _refresh_figures(evaluation)
    scheme = selectors.scheme_of(evaluation.agency)
    notify(
        recipient=evaluation.person,
        key=f"evaluation-final:{evaluation.pk}:{evaluation.version}",
        title=_("Your evaluation of %(month)s is final") % {"month": _month(evaluation.month)},
        body=_("%(score)s points, %(rating)s. You may appeal within %(days)s days.")
        % {
            "score": number_format(evaluation.total_score, 2),
            "rating": evaluation.get_rating_display(),
            "days": scheme.appeal_days,
        },
        url=reverse("evaluation:detail", args=[evaluation.pk]),
    )
    return evaluation


def _finalise_order(evaluation: MonthlyEvaluation) -> tuple[int, int]:
    # Members before their unit head (the head's score needs theirs), good before excellent (quota).
    return (
        int(evaluation.is_unit_head),
        scoring.RATING_ORDER.index(evaluation.rating or Rating.NOT_COMPLETED),
    )


@transaction.atomic
def evaluations_finalise(*, evaluations: Mapping[int, int], by: User) -> int:
    """Finalise several evaluations (id → version seen) at once: all of them or none."""
    if not evaluations:
        raise ValidationError(_("Choose at least one evaluation to finalise."))
    found = list(
        MonthlyEvaluation.objects.filter(pk__in=list(evaluations)).select_related("person", "agency")
    )
    if len(found) != len(evaluations):
        raise ValidationError(_("Some of these evaluations no longer exist. Reload the page."))
    for evaluation in sorted(found, key=_finalise_order):
        evaluation_finalise(evaluation=evaluation, by=by, version=evaluations[evaluation.pk])
    return len(found)


@transaction.atomic
def objective_cause_confirm(*, entry: DiaryEntry, by: User, reason: str) -> DiaryEntry:
    """A leader confirms an objective cause: the entry's error and delay deductions no longer count."""
    reason = required_text(reason, "reason", _("Describe the objective cause you confirm."))
    entry = (
        DiaryEntry.objects.select_for_update(of=("self",)).select_related("person", "agency").get(pk=entry.pk)
    )
    if entry.person_id == by.pk:
        raise PermissionDenied(_("Nobody confirms an objective cause for their own work."))
    if not is_leader(by, entry.agency):
        raise PermissionDenied(_("Only an agency leader confirms an objective cause."))
    if entry.status != EntryStatus.APPROVED or not (entry.major_errors or entry.delays):
        raise ValidationError(_("Only an approved entry with an error or a delay can be exempted."))
    evaluation = selectors.evaluation_of(entry.person, selectors.month_start(entry.date))
    if (
        evaluation is not None
        and evaluation.is_final
        and not Appeal.objects.filter(evaluation=evaluation, status=AppealStatus.PENDING).exists()
    ):
        raise ValidationError(_("The month's evaluation is final: a change now goes through an appeal."))
    entry.objective_cause = reason
    entry.objective_cause_by = by
    entry.version += 1
    entry._history_user = by  # type: ignore[attr-defined]
    entry._change_reason = reason  # type: ignore[attr-defined]
    entry.save(update_fields=["objective_cause", "objective_cause_by", "version", "updated_at"])
    record(
        actor=by,
        action="entry.exempted",
        target=entry,
        before={"major_errors": entry.major_errors, "delays": entry.delays, "objective_cause": ""},
        after={"objective_cause": reason},
        reason=reason,
    )
    if evaluation is not None and evaluation.status == EvaluationStatus.SCORED:
        evaluation = _locked_evaluation(evaluation, None)
        before = _snapshot(evaluation)
        compute(evaluation, _supervisor_points(evaluation))
        _save(evaluation, by=by, action="evaluation.recomputed", before=before, reason=reason)
    return entry


# Appeals ------------------------------------------------------------------------------------------


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
    if by.pk != evaluation.person_id:
        raise PermissionDenied(_("Only the person evaluated can appeal."))
    reason = required_text(reason, "reason", _("Write why you contest the evaluation."))
    evaluation = _locked_evaluation(evaluation, None)
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
            % {"name": evaluation.person.get_full_name(), "month": _month(evaluation.month)},
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
    _check_leader(evaluation, by, _("Only the agency leader decides appeals."))
    decision = required_text(decision, "decision", _("Write the decision: the person will read it."))
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.status != AppealStatus.PENDING or (version is not None and appeal.version != version):
        raise _conflict()
    evaluation = _locked_evaluation(evaluation, None)
    before = _snapshot(evaluation)
    if amend:
        cleaned = clean_points(selectors.scheme_of(evaluation.agency), points or {})
        _save_criteria(evaluation, CriterionScore.By.SUPERVISOR, cleaned, {})
        compute(evaluation, cleaned)
        _check_quota(evaluation, evaluation.rating)
        _refresh_figures(evaluation)
        _save(
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
    appeal._history_user = by  # type: ignore[attr-defined]
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
    if evaluation.scored_by_id and evaluation.scored_by_id != by.pk:
        recipients[evaluation.scored_by_id] = evaluation.scored_by
    for recipient in recipients.values():
        notify(
            recipient=recipient,
            key=f"appeal-decided:{appeal.pk}:{recipient.pk}",
            title=_("Appeal on the evaluation of %(name)s, %(month)s: %(status)s")
            % {
                "name": evaluation.person.get_full_name(),
                "month": _month(evaluation.month),
                "status": appeal.get_status_display().lower(),
            },
            body=decision,
            url=reverse("evaluation:detail", args=[evaluation.pk]),
        )
    return appeal


# Settings and discipline ----------------------------------------------------------------------------

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


def can_edit_scheme(user: User, agency: Agency) -> bool:
    return org_selectors.access_scope(user).has_role(agency, Role.ADMINISTRATOR)


@transaction.atomic
def scheme_update(
    *, scheme: ScoringScheme, by: User, values: Mapping[str, int], reason: str, version: int | None
) -> ScoringScheme:
    """Change an agency's weights (they must add up to 100); scores computed from now use them."""
    if not can_edit_scheme(by, scheme.agency):
        raise PermissionDenied(_("Only an administrator of the agency changes its weights."))
    reason = required_text(reason, "reason", _("Say why the weights change."))
    scheme = ScoringScheme.objects.select_for_update().select_related("agency").get(pk=scheme.pk)
    if version is not None and scheme.version != version:
        raise _conflict()
    before = {name: getattr(scheme, name) for name in SCHEME_FIELDS}
    for name in SCHEME_FIELDS:
        setattr(scheme, name, values[name])
    if scheme.task_points + scheme.general_points != 100:
        raise ValidationError(
            _("The points add up to %(total)s; they must add up to 100.")
            % {"total": scheme.task_points + scheme.general_points}
        )
    scheme.full_clean()
    scheme.version += 1
    scheme._history_user = by  # type: ignore[attr-defined]
    scheme._change_reason = reason  # type: ignore[attr-defined]
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
    if not org_selectors.access_scope(by).has_role(agency, Role.HR, Role.ADMINISTRATOR):
        raise PermissionDenied(_("Only HR or an administrator records disciplinary measures."))
    if decided_on > org_selectors.today():
        raise ValidationError({"decided_on": [_("The date cannot be in the future.")]})
    measure = DisciplinaryMeasure(
        person=person, agency=agency, decided_on=decided_on, description=description[:255], recorded_by=by
    )
    measure._history_user = by  # type: ignore[attr-defined]
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
