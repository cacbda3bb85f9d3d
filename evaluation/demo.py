"""Demo evaluations: July to October 2026 scored and final for every agency, as a leader would leave them.

Each month's score is computed by the real rules (``evaluation.scoring``) from the month's
approved demo entries; only the general criteria are made up, from a stable tendency per
person. When a month would give more "excellent" than the quota allows, the supervisors of
the lowest of them scored the general criteria a little lower, which is what a leader blocked
by the quota asks for. Rows are bulk-written (with their audit events), so seeding stays fast;
a month that already has evaluations is left as it is.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from org import calendar
from org.models import Agency, AuditEvent, Membership, Role, User
from org.selectors import review_map
from worklog.models import DiaryEntry, EntryStatus

from . import scoring
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

MONTHS = [datetime.date(2026, m, 1) for m in (7, 8, 9, 10)]
SEED = 20261101
# A person who was disciplined in August 2026 (a reprimand), to show the rule in the demo.
DISCIPLINED = ("STC", "GCS", datetime.date(2026, 8, 14), "Khiển trách, Quyết định số 215/QĐ-STC")


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def seed_evaluations(*, today: datetime.date) -> int:
    """Final evaluations of the demo months for every agency; returns how many were created.

    A month is seeded once it ended more than a week before ``today`` (when a leader would have
    finalised it).
    """
    months = [
        m for m in MONTHS if calendar.month_bounds(m.year, m.month)[1] + datetime.timedelta(days=7) < today
    ]
    created = 0
    for agency in Agency.objects.order_by("code"):
        scheme, _ = ScoringScheme.objects.get_or_create(agency=agency)
        leader = (
            User.objects.filter(role_assignments__role=Role.LEADER, role_assignments__agency=agency)
            .order_by("pk")
            .first()
        )
        if leader is None:
            continue
        if not months:
            continue
        _seed_discipline(agency, leader)
        for month in months:
            if MonthlyEvaluation.objects.filter(agency=agency, month=month).exists():
                continue
            created += _seed_month(agency, scheme, leader, month)
        _seed_appeals(agency, leader)
    return created


def _seed_discipline(agency: Agency, leader: User) -> None:
    code, unit_code, day, description = DISCIPLINED
    if agency.code != code or DisciplinaryMeasure.objects.filter(agency=agency).exists():
        return
    person = (
        Membership.objects.active_on(day)
        .filter(unit__agency=agency, unit__code=unit_code, is_head=False)
        .order_by("person__username")
        .values_list("person", flat=True)
        .last()
    )
    hr = (
        User.objects.filter(role_assignments__role=Role.HR, role_assignments__agency=agency).first() or leader
    )
    if person is not None:
        DisciplinaryMeasure.objects.create(
            person_id=person, agency=agency, decided_on=day, description=description, recorded_by=hr
        )


def _seed_month(agency: Agency, scheme: ScoringScheme, leader: User, month: datetime.date) -> int:
    month_end = calendar.month_bounds(month.year, month.month)[1]
    working_days = len(calendar.working_days(agency, month, month_end))
    reviewers = review_map(agency.pk, month_end)
    memberships = {
        m.person_id: m
        for m in Membership.objects.active_on(month_end).filter(unit__agency=agency).select_related("unit")
    }
    marks: dict[int, list[scoring.EntryMarks]] = defaultdict(list)
    for entry_id, person_id, minutes, errors, delays, cause in DiaryEntry.objects.filter(
        agency=agency, status=EntryStatus.APPROVED, date__range=(month, month_end)
    ).values_list("pk", "person_id", "standard_minutes", "major_errors", "delays", "objective_cause"):
        marks[person_id].append(scoring.EntryMarks(entry_id, minutes, errors, delays, bool(cause)))
    disciplined = set(
        DisciplinaryMeasure.objects.filter(agency=agency, decided_on__range=(month, month_end)).values_list(
            "person_id", flat=True
        )
    )

    people = sorted(
        (pid for pid in reviewers if pid in memberships), key=lambda pid: memberships[pid].is_head
    )
    evaluations: dict[int, MonthlyEvaluation] = {}
    criteria: dict[int, tuple[dict[str, Decimal], dict[str, Decimal]]] = {}
    ratings_by_unit: dict[int, list[str]] = defaultdict(list)
    for person_id in people:  # members first: a unit head's score needs theirs
        membership = memberships[person_id]
        factor = None
        if membership.is_head:
            factor = scoring.unit_factor(ratings_by_unit[membership.unit_id])
        result = scoring.task_result(scheme, marks[person_id], working_days, unit_factor=factor)
        # A stable tendency per person; those who log little tend to be judged weaker on the criteria too.
        rng = random.Random(SEED * 1000 + person_id)
        choices = (
            ["6", "5.5", "5.5", "5", "4.5"] if result.quantity_ratio >= Decimal("0.5") else ["3", "3.5", "4"]
        )
        tendency = Decimal(rng.choice(choices))
        month_rng = random.Random(f"{SEED}-{person_id}-{month}")
        supervisor = {
            c: min(Decimal(6), max(Decimal(3), tendency - Decimal(month_rng.choice([0, 0, 0, 5])) / 10))
            for c in Criterion.values
        }
        own = {c: min(Decimal(6), points + Decimal("0.5")) for c, points in supervisor.items()}
        general = scoring.general_score(scheme, supervisor)
        total = result.total + general
        evaluation = MonthlyEvaluation(
            person_id=person_id,
            agency=agency,
            unit=membership.unit,
            month=month,
            is_unit_head=membership.is_head,
            status=EvaluationStatus.FINAL,
            self_comment="Hoàn thành các nhiệm vụ được giao trong tháng.",
            supervisor_comment="Thống nhất với kết quả tự đánh giá.",
            working_days=working_days,
            approved_minutes=result.approved_minutes,
            quantity_score=result.quantity,
            quality_score=result.quality,
            progress_score=result.progress,
            unit_score=result.unit,
            task_score=result.total,
            general_score=general,
            total_score=total,
            disciplined=person_id in disciplined,
            rating=scoring.rating_for(total, disciplined=person_id in disciplined),
            self_assessed_at=_at(month_end + datetime.timedelta(days=1)),
            scored_at=_at(month_end + datetime.timedelta(days=3)),
            scored_by_id=reviewers[person_id],
            finalised_at=_at(month_end + datetime.timedelta(days=5), 15),
            finalised_by=leader,
        )
        evaluations[person_id] = evaluation
        criteria[person_id] = (own, supervisor)
        ratings_by_unit[membership.unit_id].append(evaluation.rating)
    _respect_quota(scheme, evaluations, criteria)

    MonthlyEvaluation.objects.bulk_create(evaluations.values())
    saved = {e.person_id: e for e in MonthlyEvaluation.objects.filter(agency=agency, month=month)}
    CriterionScore.objects.bulk_create(
        CriterionScore(evaluation=saved[person_id], criterion=c, by=by, points=points[c])
        for person_id, (own, supervisor) in criteria.items()
        for by, points in ((CriterionScore.By.SELF, own), (CriterionScore.By.SUPERVISOR, supervisor))
        for c in Criterion.values
    )
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=evaluation.finalised_by,
            agency=agency,
            person_id=evaluation.person_id,
            action="evaluation.finalised",
            object_type="monthlyevaluation",
            object_id=evaluation.pk,
            before={"status": EvaluationStatus.SCORED},
            after={
                "status": EvaluationStatus.FINAL,
                "total_score": str(evaluation.total_score),
                "rating": evaluation.rating,
            },
        )
        for evaluation in saved.values()
    )
    return len(saved)


def _respect_quota(scheme, evaluations, criteria) -> None:
    """Lower the general criteria of the lowest "excellent" until the month is within the quota."""
    good = sum(1 for e in evaluations.values() if e.rating == Rating.GOOD)
    excellent = sorted(
        (e for e in evaluations.values() if e.rating == Rating.EXCELLENT), key=lambda e: e.total_score
    )
    allowed = scoring.excellent_allowed(good, scheme.excellent_quota_percent)
    while len(excellent) > allowed:
        evaluation = excellent.pop(0)
        _own, supervisor = criteria[evaluation.person_id]
        excess = evaluation.total_score - Decimal("89")
        for criterion in reversed(Criterion.values):  # innovation first
            cut = min(excess, supervisor[criterion] - Decimal(3))
            supervisor[criterion] -= cut
            excess -= cut
        evaluation.general_score = scoring.general_score(scheme, supervisor)
        evaluation.total_score = evaluation.task_score + evaluation.general_score
        evaluation.rating = scoring.rating_for(evaluation.total_score, disciplined=evaluation.disciplined)
        if evaluation.rating == Rating.GOOD:
            good += 1
            allowed = scoring.excellent_allowed(good, scheme.excellent_quota_percent)


def _seed_appeals(agency: Agency, leader: User) -> None:
    """One decided appeal (September, amended) and one waiting for the leader (October)."""
    if agency.code != "STC" or Appeal.objects.filter(evaluation__agency=agency).exists():
        return
    lowest = (
        MonthlyEvaluation.objects.filter(agency=agency, is_unit_head=False, disciplined=False)
        .exclude(person__username="canbo")
        .order_by("total_score", "person__username")
    )
    september = lowest.filter(month=datetime.date(2026, 9, 1)).first()
    october = lowest.filter(month=datetime.date(2026, 10, 1)).first()
    if september is not None:
        before_score, before_rating = september.total_score, september.rating
        scheme = ScoringScheme.objects.get(agency=agency)
        amended = {}
        for score in september.criteria.filter(by=CriterionScore.By.SUPERVISOR):
            score.points = min(
                Decimal(scheme.criterion_points(score.criterion)), score.points + Decimal("0.6")
            )
            score.save(update_fields=["points"])
            amended[score.criterion] = score.points
        september.general_score = scoring.general_score(scheme, amended)
        september.total_score = september.task_score + september.general_score
        september.rating = scoring.rating_for(september.total_score, disciplined=september.disciplined)
        september.version += 1
        september.save()
        Appeal.objects.create(
            evaluation=september,
            reason="Tháng 9 tôi được giao thêm nhiệm vụ rà soát tài sản sau sắp xếp, chưa được tính đủ.",
            status=AppealStatus.AMENDED,
            decision="Xác nhận có nhiệm vụ đột xuất; điều chỉnh điểm tiêu chí chung.",
            decided_at=_at(datetime.date(2026, 10, 12), 10),
            decided_by=leader,
            score_before=before_score,
            rating_before=before_rating,
            score_after=september.total_score,
            rating_after=september.rating,
        )
    if october is not None:
        Appeal.objects.create(
            evaluation=october,
            reason="Đề nghị xem xét lại điểm tiến độ: hồ sơ chậm do đơn vị gửi thiếu tài liệu.",
            score_before=october.total_score,
            rating_before=october.rating,
        )
