"""The demo's audit trail: the events the services would have written for the history the demo builds.

The demo writes its rows in bulk, past the services, so it writes their audit events here, with the
same actions, fields and values (``before``/``after``) and the time each thing happened: entries
returned (all) and approved (the last month), evaluations self-assessed, scored and made final,
the appeal filed, decided and the rating amended, the disciplinary measure, and the work assigned in
the last month. Seeding twice adds nothing: an event already written for an object is not
written again.
"""

from __future__ import annotations

import contextlib
import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.utils import timezone

from assignments.models import Assignment
from evaluation.models import (
    Appeal,
    AppealStatus,
    CriterionScore,
    DisciplinaryMeasure,
    EvaluationStatus,
    MonthlyEvaluation,
)
from org.models import AuditEvent
from worklog.models import DiaryEntry, EntryStatus

from .window import Window

# How far back the approvals and assignments of the demo get their events: a month, so that Tết or New
# Year's Day never leaves the trail without them (all of them would be five times more rows for the
# same page).
RECENT_DAYS = 31


@contextlib.contextmanager
def _dated() -> Iterator[None]:
    """Let ``bulk_create`` keep the time the demo gives each event (``at`` is ``auto_now_add``)."""
    field = AuditEvent._meta.get_field("at")
    field.auto_now_add = False
    try:
        yield
    finally:
        field.auto_now_add = True


def seed_audit(*, window: Window) -> int:
    """Write the demo history's audit events; returns how many were added."""
    midnight = timezone.make_aware(datetime.datetime.combine(window.today, datetime.time()))
    since = midnight - datetime.timedelta(days=RECENT_DAYS)
    written = set(AuditEvent.objects.values_list("action", "object_id"))
    events = [
        event
        for event in (
            *_entries(since),
            *_evaluations(),
            *_appeals(),
            *_discipline(),
            *_assignments(since),
        )
        if (event.action, event.object_id) not in written
    ]
    with _dated():
        AuditEvent.objects.bulk_create(events, batch_size=2000)
    return len(events)


def _event(**fields) -> AuditEvent:
    target = fields.pop("target")
    return AuditEvent(object_type=target._meta.model_name, object_id=target.pk, **fields)


def _entries(since: datetime.datetime) -> Iterable[AuditEvent]:
    returned = DiaryEntry.objects.filter(status=EntryStatus.RETURNED, reviewed_by__isnull=False)
    approved = DiaryEntry.objects.filter(status=EntryStatus.APPROVED, reviewed_at__gte=since)
    fields = ("pk", "agency_id", "person_id", "reviewed_by_id", "reviewed_at")

    def reviewed(entry: DiaryEntry, action: str, after: dict, reason: str = "") -> AuditEvent:
        return _event(
            target=entry,
            at=entry.reviewed_at,
            actor_id=entry.reviewed_by_id,
            agency_id=entry.agency_id,
            person_id=entry.person_id,
            action=action,
            before={"status": EntryStatus.SUBMITTED},
            after=after,
            reason=reason,
        )

    for entry in returned.only(*fields, "return_reason"):
        yield reviewed(entry, "entry.returned", {"status": EntryStatus.RETURNED}, entry.return_reason)
    for entry in approved.only(*fields, "major_errors", "delays"):
        marks = {"major_errors": entry.major_errors, "delays": entry.delays}
        yield reviewed(entry, "entry.approved", {"status": EntryStatus.APPROVED, **marks})


def _snapshot(evaluation: MonthlyEvaluation, status: str) -> dict[str, object]:
    """As ``evaluation.services.records.snapshot`` writes it (decimals as strings)."""
    return {
        "status": status,
        "task_score": str(evaluation.task_score),
        "general_score": str(evaluation.general_score),
        "total_score": str(evaluation.total_score),
        "rating": evaluation.rating,
    }


def _evaluations() -> Iterable[AuditEvent]:
    final = list(MonthlyEvaluation.objects.filter(status=EvaluationStatus.FINAL, finalised_at__isnull=False))
    points: dict[tuple[int, str], dict[str, str]] = defaultdict(dict)
    for evaluation_id, by, key, value in CriterionScore.objects.filter(
        evaluation__in=[e.pk for e in final]
    ).values_list("evaluation_id", "by", "criterion__key", "points"):
        points[(evaluation_id, by)][key] = str(value)
    for evaluation in final:
        common = {"target": evaluation, "agency_id": evaluation.agency_id, "person_id": evaluation.person_id}
        # The two steps before the leader's: (when, by whom, action, from, to, whose points, under what).
        Status, By = EvaluationStatus, CriterionScore.By
        steps = (
            (evaluation.self_assessed_at, evaluation.person_id, "evaluation.self_assessed", Status.OPEN,
             Status.SELF_ASSESSED, By.SELF, "self_points"),
            (evaluation.scored_at, evaluation.scored_by_id, "evaluation.scored", Status.SELF_ASSESSED,
             Status.SCORED, By.SUPERVISOR, "points"),
        )  # fmt: skip
        for at, actor_id, action, before, status, by, field in steps:
            if at is not None:
                yield _event(
                    **common,
                    at=at,
                    actor_id=actor_id,
                    action=action,
                    before={"status": before},
                    after=_snapshot(evaluation, status) | {field: points[(evaluation.pk, by)]},
                )
        yield _event(
            **common,
            at=evaluation.finalised_at,
            actor_id=evaluation.finalised_by_id,
            action="evaluation.finalised",
            before={"status": EvaluationStatus.SCORED},
            after={
                "status": EvaluationStatus.FINAL,
                "total_score": str(evaluation.total_score),
                "rating": evaluation.rating,
            },
        )


def _appeals() -> Iterable[AuditEvent]:
    for appeal in Appeal.objects.select_related("evaluation"):
        evaluation = appeal.evaluation
        common = {"agency_id": evaluation.agency_id, "person_id": evaluation.person_id}
        yield _event(
            **common,
            target=appeal,
            at=appeal.filed_at,
            actor_id=evaluation.person_id,
            action="appeal.filed",
            after={"score": str(appeal.score_before), "rating": appeal.rating_before},
            reason=appeal.reason,
        )
        if appeal.status == AppealStatus.PENDING:
            continue
        yield _event(
            **common,
            target=appeal,
            at=appeal.decided_at,
            actor_id=appeal.decided_by_id,
            action="appeal.decided",
            before={
                "status": AppealStatus.PENDING,
                "score": str(appeal.score_before),
                "rating": appeal.rating_before,
            },
            after={"status": appeal.status, "score": str(appeal.score_after), "rating": appeal.rating_after},
            reason=appeal.decision,
        )
        if appeal.status == AppealStatus.AMENDED:
            yield _event(
                **common,
                target=evaluation,
                at=appeal.decided_at,
                actor_id=appeal.decided_by_id,
                action="evaluation.amended",
                before={"status": EvaluationStatus.FINAL, "total_score": str(appeal.score_before)}
                | {"rating": appeal.rating_before},
                after=_snapshot(evaluation, EvaluationStatus.FINAL),
                reason=appeal.decision,
            )


def _discipline() -> Iterable[AuditEvent]:
    for measure in DisciplinaryMeasure.objects.all():
        yield _event(
            target=measure,
            at=timezone.make_aware(datetime.datetime.combine(measure.decided_on, datetime.time(14))),
            actor_id=measure.recorded_by_id,
            agency_id=measure.agency_id,
            person_id=measure.person_id,
            action="discipline.recorded",
            after={"decided_on": measure.decided_on.isoformat(), "description": measure.description},
        )


def _assignments(since: datetime.datetime) -> Iterable[AuditEvent]:
    recent = Assignment.objects.filter(assigned_at__gte=since).select_related("task", "stage")
    for assignment in recent:
        yield _event(
            target=assignment,
            at=assignment.assigned_at,
            actor_id=assignment.assigned_by_id,
            agency_id=assignment.agency_id,
            person_id=assignment.person_id,
            action="assignment.created",
            after={
                "task": assignment.task.code,
                "stage": assignment.stage.order if assignment.stage else None,
                "quantity": str(assignment.quantity),
                "due_date": assignment.due_date.isoformat(),
                "status": assignment.status,
            },
        )
