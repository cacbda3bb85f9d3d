"""Demo evaluations: the months of the demo window a leader has finalised by today (those that ended
more than a week ago; the current month stays open), scored and final for every agency. The agency
heads' months are scored and finalised by the province reviewer (``demo.organisation``).

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

from assignments.models import Assignment, AssignmentStatus
from evaluation import annual, leaders, scoring
from evaluation.criteria import ensure_versions
from evaluation.models import (
    AnnualRating,
    AnnualStatus,
    Appeal,
    AppealStatus,
    CriteriaVersion,
    CriterionScore,
    DisciplinaryMeasure,
    EvaluationStatus,
    MonthlyEvaluation,
    Rating,
    ScoringScheme,
)
from kpi_portal import periods, standards
from org import leave
from org.models import Agency, Membership, Role, Supervision, User
from org.selectors import review_map
from worklog.models import DiaryEntry, EntryStatus

from .window import Window

SEED = 20261101
# A person disciplined in the window's second month (a reprimand, on ``Window.discipline``), to show
# the rule in the demo.
DISCIPLINED = ("STC", "GCS", "Khiển trách, Quyết định số 215/QĐ-STC")
# Days after the end of the amended month when the leader decided the appeal.
APPEAL_DECIDED_AFTER = 12


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def seed_evaluations(*, window: Window) -> int:
    """Final evaluations of the demo months for every agency; returns how many were created.

    A month is seeded once it ended more than a week before today (``Window.final_months``: when a
    leader would have finalised it).
    """
    months = window.final_months
    created = 0
    ensure_versions()  # a flushed database has lost the general criteria its migration seeded
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
        _seed_discipline(agency, leader, window.discipline)
        for month in months:
            if MonthlyEvaluation.objects.filter(agency=agency, month=month).exists():
                continue
            created += _seed_month(agency, scheme, leader, month)
        _seed_appeals(agency, leader, months)
    seed_annual_proposals(window=window)
    return created


def _seed_discipline(agency: Agency, leader: User, day: datetime.date) -> None:
    code, unit_code, description = DISCIPLINED
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


def _leader_kind(membership: Membership) -> str | None:
    """``evaluation.leaders.leader_kind`` of the person's month, from their membership."""
    on_board = membership.unit.parent_id is None
    if membership.is_head:
        return leaders.AGENCY_HEAD if on_board else leaders.UNIT_HEAD
    return leaders.DEPUTY if on_board else None


def _seed_month(agency: Agency, scheme: ScoringScheme, leader: User, month: datetime.date) -> int:
    month_end = periods.month_end(month)
    reviewers = review_map(agency.pk, month_end)
    memberships = {
        m.person_id: m
        for m in Membership.objects.active_on(month_end).filter(unit__agency=agency).select_related("unit")
    }
    marks: dict[int, list[scoring.EntryMarks]] = defaultdict(list)
    rows = DiaryEntry.objects.filter(
        agency=agency, status=EntryStatus.APPROVED, date__range=(month, month_end)
    ).values_list(
        "pk",
        "person_id",
        "date",
        "standard_minutes",
        "major_errors",
        "delays",
        "objective_cause",
        "assignment_id",
        "assignment__status",
        "assignment__due_date",
    )
    for pk, person_id, day, minutes, errors, delays, cause, assignment_id, status, due in rows:
        # As DiaryEntry.counts_toward_assignment and is_late say, without loading 25,000 entries.
        toward = assignment_id is not None and status == AssignmentStatus.OPEN
        marks[person_id].append(
            scoring.EntryMarks(
                pk,
                minutes,
                errors,
                delays,
                bool(cause),
                assignment_id=assignment_id if toward else None,
                late=toward and day > due,
            )
        )
    # The work assigned, on the assigned basis (demo.assignments gives each month's due in that month).
    assigned: dict[int, list[scoring.AssignedWork]] = defaultdict(list)
    for pk, person_id, minutes in Assignment.objects.filter(
        agency=agency, status=AssignmentStatus.OPEN, due_date__range=(month, month_end)
    ).values_list("pk", "person_id", "standard_minutes"):
        assigned[person_id].append(scoring.AssignedWork(pk, minutes))
    disciplined = set(
        DisciplinaryMeasure.objects.filter(agency=agency, decided_on__range=(month, month_end)).values_list(
            "person_id", flat=True
        )
    )

    # Who leads what (evaluation.leaders): unit heads their unit, deputies their field, the head everyone.
    kinds = {pid: _leader_kind(m) for pid, m in memberships.items()}
    fields: dict[int, set[int]] = defaultdict(set)
    for person_id, unit_id in (
        Supervision.objects.active_on(month_end)
        .filter(unit__agency=agency)
        .values_list("person_id", "unit_id")
    ):
        fields[person_id].add(unit_id)
    # Members first, then whoever leads them: a leader's score needs theirs.
    people = sorted(
        (pid for pid in reviewers if pid in memberships),
        key=lambda pid: leaders.FINALISE_RANK[kinds[pid]],
    )
    # The capacity basis counts the days each person actually worked (their leave taken off).
    _working_days, days_worked = leave.days_worked_of(people, agency, month, month_end)
    # The general criteria in force on the month's first day (Decree 335's for months from 2026).
    version = CriteriaVersion.objects.in_force_on(month)
    general = {c.key: c for c in version.criteria.all()}
    weights = scheme.weights_of(version)
    evaluations: dict[int, MonthlyEvaluation] = {}
    criteria: dict[int, tuple[dict[str, Decimal], dict[str, Decimal]]] = {}
    ratings_by_unit: dict[int, list[str]] = defaultdict(list)
    for person_id in people:  # members first: a leader's score needs theirs
        membership = memberships[person_id]
        kind = kinds[person_id]
        factor = capacity = None
        if kind == leaders.UNIT_HEAD:
            factor = scoring.unit_factor(ratings_by_unit[membership.unit_id])
        elif kind == leaders.AGENCY_HEAD:
            factor = scoring.unit_factor(r for ratings in ratings_by_unit.values() for r in ratings)
        elif kind == leaders.DEPUTY and fields[person_id]:
            factor = scoring.unit_factor(r for u in fields[person_id] for r in ratings_by_unit[u])
        if kind is not None:
            # The reviewer's level of the leader's capacity to organise the work: mostly full.
            capacity = random.Random(f"{SEED}-capacity-{person_id}-{month}").choice([100, 100, 75])
        result = scoring.task_result(
            scheme,
            marks[person_id],
            days_worked[person_id],
            basis=scheme.task_basis,
            assigned=assigned[person_id],
            unit_factor=factor,
            capacity_ratio=Decimal(capacity) / 100 if capacity is not None else None,
        )
        # A stable tendency per person; those who log little tend to be judged weaker on the criteria too.
        rng = random.Random(SEED * 1000 + person_id)
        choices = (
            ["6", "5.5", "5.5", "5", "4.5"] if result.quantity_ratio >= Decimal("0.5") else ["3", "3.5", "4"]
        )
        tendency = Decimal(rng.choice(choices))
        month_rng = random.Random(f"{SEED}-{person_id}-{month}")
        # The tendency is out of 6; each criterion gets the same share of its own weight.
        share = min(Decimal(6), max(Decimal(3), tendency - Decimal(month_rng.choice([0, 0, 0, 5])) / 10)) / 6
        supervisor = {key: (weight * share).quantize(Decimal("0.01")) for key, weight in weights.items()}
        own = {
            key: min(Decimal(weights[key]), (points + Decimal(weights[key]) / 12).quantize(Decimal("0.01")))
            for key, points in supervisor.items()
        }
        stored = scoring.stored_score(
            result, scoring.general_score(scheme, supervisor), disciplined=person_id in disciplined
        )
        evaluation = MonthlyEvaluation(
            person_id=person_id,
            agency=agency,
            unit=membership.unit,
            month=month,
            criteria_version=version,
            is_unit_head=membership.is_head,
            status=EvaluationStatus.FINAL,
            self_comment="Hoàn thành các nhiệm vụ được giao trong tháng.",
            supervisor_comment="Thống nhất với kết quả tự đánh giá.",
            working_days=days_worked[person_id],
            task_basis=result.basis,
            expected_minutes=result.expected_minutes,
            approved_minutes=result.approved_minutes,
            quantity_score=stored.quantity,
            quality_score=stored.quality,
            progress_score=stored.progress,
            unit_score=stored.unit,
            capacity_percent=capacity,
            capacity_score=stored.capacity,
            task_score=stored.task,
            general_score=stored.general,
            total_score=stored.total,
            disciplined=person_id in disciplined,
            rating=stored.rating,
            self_assessed_at=_at(month_end + datetime.timedelta(days=1)),
            scored_at=_at(month_end + datetime.timedelta(days=3)),
            scored_by_id=reviewers[person_id],
            finalised_at=_at(month_end + datetime.timedelta(days=5), 15),
            # An agency head's month is finalised by the province reviewer who scored it
            # (``evaluation.rules.decides_evaluation``): a leader never finalises their own.
            finalised_by_id=reviewers[person_id] if _heads_agency(membership) else leader.pk,
        )
        evaluations[person_id] = evaluation
        criteria[person_id] = (own, supervisor)
        ratings_by_unit[membership.unit_id].append(evaluation.rating)
    _respect_quota(scheme, evaluations, criteria)

    MonthlyEvaluation.objects.bulk_create(evaluations.values())
    saved = {e.person_id: e for e in MonthlyEvaluation.objects.filter(agency=agency, month=month)}
    CriterionScore.objects.bulk_create(
        CriterionScore(evaluation=saved[person_id], criterion=general[key], by=by, points=points[key])
        for person_id, (own, supervisor) in criteria.items()
        for by, points in ((CriterionScore.By.SELF, own), (CriterionScore.By.SUPERVISOR, supervisor))
        for key in general
    )
    return len(saved)


def _heads_agency(membership: Membership) -> bool:
    return membership.is_head and membership.unit.parent_id is None


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
        for key in reversed(list(supervisor)):  # the last criterion (innovation) first
            cut = min(excess, supervisor[key] - Decimal(scheme.criterion_points(key)) / 2)
            supervisor[key] -= cut
            excess -= cut
        evaluation.general_score = scoring.general_score(scheme, supervisor)
        evaluation.total_score = evaluation.task_score + evaluation.general_score
        evaluation.rating = scoring.rating_for(evaluation.total_score, disciplined=evaluation.disciplined)
        if evaluation.rating == Rating.GOOD:
            good += 1
            allowed = scoring.excellent_allowed(good, scheme.excellent_quota_percent)


def _seed_appeals(agency: Agency, leader: User, months: list[datetime.date]) -> None:
    """One decided appeal (the last final month but one, amended) and one waiting for the leader
    (the last final month)."""
    if agency.code != "STC" or len(months) < 2 or Appeal.objects.filter(evaluation__agency=agency).exists():
        return
    amended_month, waiting_month = months[-2:]
    lowest = (
        MonthlyEvaluation.objects.filter(agency=agency, is_unit_head=False, disciplined=False)
        .exclude(person__username="canbo")
        .order_by("total_score", "person__username")
    )
    appealed = lowest.filter(month=amended_month).first()
    waiting = lowest.filter(month=waiting_month).first()
    if appealed is not None:
        before_score, before_rating = appealed.total_score, appealed.rating
        scheme = ScoringScheme.objects.get(agency=agency)
        points = {}
        for score in appealed.criteria.filter(by=CriterionScore.By.SUPERVISOR).select_related("criterion"):
            score.points = min(
                Decimal(scheme.criterion_points(score.criterion.key)), score.points + Decimal("0.6")
            )
            score.save(update_fields=["points"])
            points[score.criterion.key] = score.points
        appealed.general_score = scoring.general_score(scheme, points)
        appealed.total_score = appealed.task_score + appealed.general_score
        appealed.rating = scoring.rating_for(appealed.total_score, disciplined=appealed.disciplined)
        appealed.version += 1
        appealed.save()
        Appeal.objects.create(
            evaluation=appealed,
            reason=f"Tháng {amended_month.month} tôi được giao thêm nhiệm vụ rà soát tài sản sau sắp xếp, "
            "chưa được tính đủ.",
            status=AppealStatus.AMENDED,
            decision="Xác nhận có nhiệm vụ đột xuất; điều chỉnh điểm tiêu chí chung.",
            decided_at=_at(
                periods.month_end(amended_month) + datetime.timedelta(days=APPEAL_DECIDED_AFTER), 10
            ),
            decided_by=leader,
            score_before=before_score,
            rating_before=before_rating,
            score_after=appealed.total_score,
            rating_after=appealed.rating,
        )
    if waiting is not None:
        Appeal.objects.create(
            evaluation=waiting,
            reason="Đề nghị xem xét lại điểm tiến độ: hồ sơ chậm do đơn vị gửi thiếu tài liệu.",
            score_before=waiting.total_score,
            rating_before=waiting.rating,
        )


def annual_year(window: Window) -> int | None:
    """The year the demo rates: the one with the most final months in the window (the later on a tie)."""
    counts: dict[int, int] = defaultdict(int)
    for month in window.final_months:
        counts[month.year] += 1
    if not counts:
        return None
    return max(counts, key=lambda year: (counts[year], year))


def seed_annual_proposals(*, window: Window) -> int:
    """Each reviewer's proposal of the year's rating (``annual_year``) for everyone with final months:
    the rating of their average, but never more "excellent" in a group than its quota allows (the
    lowest of them are proposed "good", with a comment), so the leader can decide them as proposed.
    Nothing is decided: deciding is the leader's (the acceptance test does it). Returns how many."""
    year = annual_year(window)
    if year is None:
        return 0
    on = annual.reference_day(year)
    created = 0
    for agency in Agency.objects.order_by("code"):
        if AnnualRating.objects.filter(agency=agency, year=year).exists():
            continue
        deadline = annual.deadline(agency, year)
        proposed_at = min(timezone.now(), _at(deadline - datetime.timedelta(days=5)))
        reviewers = review_map(agency.pk, on)
        memberships = {
            m.person_id: m
            for m in Membership.objects.active_on(on).filter(unit__agency=agency).select_related("unit")
        }
        leaders = {pid for pid, m in memberships.items() if m.is_head} | set(
            User.objects.filter(
                role_assignments__role=Role.LEADER, role_assignments__agency=agency
            ).values_list("pk", flat=True)
        )
        scores: dict[int, list[Decimal]] = defaultdict(list)
        for person_id, score in MonthlyEvaluation.objects.filter(
            person_id__in=list(memberships),
            month__year=year,
            status=EvaluationStatus.FINAL,
            working_days__gt=0,
        ).values_list("person_id", "total_score"):
            scores[person_id].append(score)
        disciplined = set(
            DisciplinaryMeasure.objects.filter(decided_on__year=year).values_list("person_id", flat=True)
        )
        rows = []
        for person_id, found in scores.items():
            reviewer = reviewers.get(person_id)
            if reviewer is None:
                continue
            average = scoring.average(found) or Decimal(0)
            suggested = scoring.rating_for(average, disciplined=person_id in disciplined)
            rows.append(
                AnnualRating(
                    person_id=person_id,
                    year=year,
                    agency=agency,
                    unit=memberships[person_id].unit,
                    group=annual.LEADERS if person_id in leaders else annual.STAFF,
                    months_counted=len(found),
                    average_score=standards.rounded_score(average),
                    disciplined=person_id in disciplined,
                    suggested_rating=suggested,
                    status=AnnualStatus.PROPOSED,
                    proposed_rating=suggested,
                    proposed_by_id=reviewer,
                    proposed_at=proposed_at,
                )
            )
        # The agency head's own rating is the province reviewer's to decide: it does not count here.
        heads = {pid for pid, m in memberships.items() if m.is_head and m.unit.parent_id is None}
        _propose_within_quota(agency, [r for r in rows if r.person_id not in heads])
        AnnualRating.objects.bulk_create(rows)
        created += len(rows)
    return created


def _propose_within_quota(agency: Agency, rows: list[AnnualRating]) -> None:
    percent = ScoringScheme.objects.get(agency=agency).excellent_quota_percent
    for group in {r.group for r in rows}:
        members = [r for r in rows if r.group == group]
        excellent = sorted(
            (r for r in members if r.proposed_rating == Rating.EXCELLENT), key=lambda r: r.average_score
        )
        good = sum(1 for r in members if r.proposed_rating == Rating.GOOD)
        while excellent and len(excellent) > scoring.excellent_allowed(good, percent):
            lowest = excellent.pop(0)
            lowest.proposed_rating = Rating.GOOD
            lowest.proposal_comment = (
                "Đề xuất hoàn thành tốt để bảo đảm tỷ lệ xuất sắc của nhóm (không quá 20%)."
            )
            good += 1
