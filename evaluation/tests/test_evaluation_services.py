"""The monthly evaluation: self-assessment, scoring, finalising, quota, unit component, appeals."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from evaluation import selectors, services
from evaluation.models import AppealStatus, EvaluationStatus, MonthlyEvaluation, Rating
from org.models import AuditEvent, Notification
from org.tests.factories import MembershipFactory, UnitFactory
from worklog.models import EntryStatus
from worklog.tests.factories import DiaryEntryFactory

# Hours against 8 h a working day: these months are measured on the capacity basis.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("capacity_basis")]
MARCH = datetime.date(2026, 3, 1)  # 22 working days: 176 expected hours
# March 2026 is scored on Decree 335/2025 Article 12's three groups, 10 points each by default.
FULL = {c: Decimal(10) for c in ("conduct", "competence", "initiative")}


def approved(person, unit, stage, day, quantity, **marks):
    return DiaryEntryFactory(
        person=person,
        unit=unit,
        stage=stage,
        date=day,
        quantity=Decimal(quantity),
        status=EntryStatus.APPROVED,
        **marks,
    )


def points(value):
    return {c: Decimal(value) for c in FULL}


def scored(person, by, general="10", *, self_points="10"):
    """Scored with ``general`` points on each criterion, or with the points of a dict by criterion."""
    evaluation = services.evaluation_open(person=person, month=MARCH)
    evaluation = services.self_assess(
        evaluation=evaluation, by=person, points=points(self_points), comments={}, comment="", version=None
    )
    given = general if isinstance(general, dict) else points(general)
    return services.evaluation_score(
        evaluation=evaluation, by=by, points=given, comments={}, comment="Tốt", version=None
    )


@pytest.fixture
def month_of_work(org, diary, frozen_now):
    """member1: 132 approved hours in March (6 h a day); one entry with a major error."""
    for day in range(2, 24):
        date = datetime.date(2026, 3, day)
        if date.weekday() < 5:
            approved(org.member1, org.unit1, diary.budget_review, date, "1.5")  # 6 h
    return approved(
        org.member1, org.unit1, diary.budget_intake, datetime.date(2026, 3, 3), "0.5", major_errors=1
    )


def test_the_score_follows_the_rules_step_by_step(org, month_of_work):
    # 16 working days logged at 6 h + 0.5 h = 96.5 h (5,790 minutes) of 22 × 8 h = 176 h (10,560):
    # quantity 30 × 5,790/10,560 = 16.4488…; the error entry (30 minutes) takes 7.5 minutes from
    # quality: 20 × 5,782.5/10,560 = 10.9517…; no delay: progress 20 × 5,790/10,560 = 10.9659…;
    # 38.3664… + general 25 = 63.3664… → 63.37, "completed" (the old rule gave full quality and
    # progress for any approved minute: 81.42, "good", for 55 % of the month's capacity)
    general = {"conduct": Decimal(9), "competence": Decimal(8), "initiative": Decimal(8)}
    evaluation = scored(org.member1, org.head1, general=general)

    assert evaluation.status == EvaluationStatus.SCORED
    assert evaluation.working_days == 22
    assert evaluation.approved_minutes == Decimal("5790.00")
    assert evaluation.quantity_score == Decimal("16.45")
    assert evaluation.quality_score == Decimal("10.95")
    assert evaluation.progress_score == Decimal("10.97")
    assert evaluation.general_score == Decimal("25.00")
    assert evaluation.total_score == Decimal("63.37")
    assert evaluation.rating == Rating.COMPLETED


def test_the_supervisor_scores_after_the_self_assessment_or_without_it_once_its_deadline_passed(
    org, month_of_work
):
    evaluation = services.evaluation_open(person=org.member1, month=MARCH)
    # The third working day of April 2026 (by default): Wednesday 1, Thursday 2, Friday 3.
    assert services.self_assessment_deadline(evaluation) == datetime.date(2026, 4, 3)
    with (
        time_machine.travel(datetime.datetime(2026, 4, 3, 16, tzinfo=datetime.UTC), tick=False),
        pytest.raises(ValidationError, match="tự đánh giá trước, đến hết ngày 03/04/2026"),
    ):
        services.evaluation_score(
            evaluation=evaluation, by=org.head1, points=FULL, comments={}, comment="", version=None
        )

    # One person who never assesses themself does not hold up the month.
    with time_machine.travel(datetime.datetime(2026, 4, 6, 9, tzinfo=datetime.UTC), tick=False):
        evaluation = services.evaluation_score(
            evaluation=evaluation, by=org.head1, points=FULL, comments={}, comment="", version=None
        )

    assert evaluation.status == EvaluationStatus.SCORED and evaluation.self_assessed_at is None
    assert not evaluation.criteria.filter(by="self").exists()


def test_only_the_supervisor_scores_and_nobody_scores_themself(org, month_of_work):
    evaluation = services.evaluation_open(person=org.member1, month=MARCH)
    services.self_assess(
        evaluation=evaluation, by=org.member1, points=FULL, comments={}, comment="", version=None
    )
    with pytest.raises(PermissionDenied, match="tự chấm điểm"):
        services.evaluation_score(
            evaluation=evaluation, by=org.member1, points=FULL, comments={}, comment="", version=None
        )
    for outsider in (org.member2, org.head2, org.leader_b):
        with pytest.raises(PermissionDenied, match="Chỉ người đánh giá của cán bộ, công chức này"):
            services.evaluation_score(
                evaluation=evaluation, by=outsider, points=FULL, comments={}, comment="", version=None
            )


def test_points_above_a_criterions_weight_are_refused_with_the_criterion_named(org, month_of_work):
    evaluation = services.evaluation_open(person=org.member1, month=MARCH)
    with pytest.raises(ValidationError) as error:
        services.self_assess(
            evaluation=evaluation,
            by=org.member1,
            points=points("10.5"),
            comments={},
            comment="",
            version=None,
        )
    assert "conduct" in error.value.message_dict
    assert "Phẩm chất chính trị" in error.value.message_dict["conduct"][0]
    assert not evaluation.criteria.exists()


def test_a_month_is_finalised_only_once_closed_and_with_nothing_waiting(org, diary, month_of_work):
    evaluation = scored(org.member1, org.head1)

    # Tuesday 31/03 is March's last working day: on it the month is still open.
    with (
        time_machine.travel(datetime.datetime(2026, 3, 31, 16, tzinfo=datetime.UTC), tick=False),
        pytest.raises(ValidationError, match="Tháng 03/2026 chưa khóa sổ"),
    ):
        services.evaluation_finalise(evaluation=evaluation, by=org.leader, version=evaluation.version)
    waiting = DiaryEntryFactory(
        person=org.member1, unit=org.unit1, stage=diary.budget_review, date=datetime.date(2026, 3, 30)
    )
    waiting.status = EntryStatus.SUBMITTED
    waiting.save()
    with time_machine.travel(datetime.datetime(2026, 4, 1, 9, tzinfo=datetime.UTC), tick=False):
        with pytest.raises(ValidationError, match="còn 1 nhật ký của 03/2026 đang chờ duyệt"):
            services.evaluation_finalise(evaluation=evaluation, by=org.leader, version=evaluation.version)
        evaluation.refresh_from_db()
        assert evaluation.status == EvaluationStatus.SCORED
        waiting.status, waiting.return_reason = EntryStatus.RETURNED, "Thiếu văn bản"
        waiting.save()

        services.evaluation_finalise(evaluation=evaluation, by=org.leader, version=evaluation.version)

    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.FINAL


@pytest.mark.usefixtures("march_closed")
def test_the_leader_finalises_the_person_is_notified_and_the_confirmed_cause_removes_the_deduction(
    org, month_of_work
):
    evaluation = scored(org.member1, org.head1)
    services.objective_cause_confirm(entry=month_of_work, by=org.leader, reason="Văn bản hướng dẫn thay đổi")
    evaluation.refresh_from_db()
    assert evaluation.quality_score == evaluation.progress_score == Decimal("10.97")  # nothing deducted
    assert AuditEvent.objects.filter(action="evaluation.recomputed").exists()

    services.evaluation_finalise(evaluation=evaluation, by=org.leader, version=evaluation.version)

    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.FINAL
    assert Notification.objects.filter(recipient=org.member1, key__startswith="evaluation-final").exists()


def test_only_a_leader_confirms_an_objective_cause(org, month_of_work):
    with pytest.raises(PermissionDenied, match="Chỉ lãnh đạo cơ quan mới được xác nhận"):
        services.objective_cause_confirm(entry=month_of_work, by=org.head1, reason="Lý do")


def test_a_disciplinary_measure_in_the_month_means_not_completed(org, month_of_work):
    services.measure_record(
        person=org.member1,
        decided_on=datetime.date(2026, 3, 5),
        description="Khiển trách, QĐ 12/QĐ-STC",
        by=org.hr,
    )
    evaluation = scored(org.member1, org.head1)
    assert evaluation.total_score > 50
    assert evaluation.rating == Rating.NOT_COMPLETED


def test_only_hr_records_disciplinary_measures(org, month_of_work):
    with pytest.raises(PermissionDenied, match="Chỉ cán bộ tổ chức hoặc quản trị viên"):
        services.measure_record(
            person=org.member1, decided_on=datetime.date(2026, 3, 5), description="Khiển trách", by=org.head1
        )


def _final(person, unit, total, rating, **extra):
    return MonthlyEvaluation.objects.create(
        person=person,
        agency=unit.agency,
        unit=unit,
        month=MARCH,
        status=EvaluationStatus.FINAL,
        total_score=Decimal(total),
        rating=rating,
        **extra,
    )


def _make_excellent(evaluation):
    MonthlyEvaluation.objects.filter(pk=evaluation.pk).update(
        total_score=Decimal(95), rating=Rating.EXCELLENT, task_score=Decimal(65)
    )


@pytest.mark.usefixtures("march_closed")
def test_the_quota_warns_and_blocks_an_excellent_rating_beyond_a_fifth_of_those_rated_good(
    org, diary, frozen_now
):
    # Four people rated good allow no excellent (20 % of 4 = 0.8, rounded down).
    unit = UnitFactory(agency=org.agency, parent=org.board, code="X")
    for n in range(4):
        person = MembershipFactory(unit=unit, person__username=f"good{n}").person
        _final(person, unit, "80", Rating.GOOD)
    for day in range(2, 32):
        date = datetime.date(2026, 3, day)
        if date.weekday() < 5:
            approved(org.member1, org.unit1, diary.budget_review, date, "2")  # 8 h a day
    evaluation = scored(org.member1, org.head1)
    assert evaluation.rating == Rating.EXCELLENT
    quota = selectors.quota(org.agency, MARCH, counting=evaluation, rating=evaluation.rating)
    assert (quota.good, quota.excellent, quota.allowed, quota.exceeded) == (4, 1, 0, True)

    with pytest.raises(ValidationError, match="20"):
        services.evaluation_finalise(evaluation=evaluation, by=org.leader, version=evaluation.version)

    person = MembershipFactory(unit=unit, person__username="good4").person
    _final(person, unit, "80", Rating.GOOD)  # the fifth good rating makes room for one excellent
    services.evaluation_finalise(evaluation=evaluation, by=org.leader, version=evaluation.version)
    evaluation.refresh_from_db()
    assert evaluation.is_final


@pytest.mark.usefixtures("march_closed")
def test_a_unit_head_is_finalised_after_the_members_and_loses_half_the_unit_component_for_one_failure(
    org, diary, frozen_now
):
    _final(org.member1, org.unit1, "40", Rating.NOT_COMPLETED)
    head = scored(org.head1, org.leader)
    with pytest.raises(ValidationError) as error:
        services.evaluation_finalise(evaluation=head, by=org.leader, version=head.version)
    assert org.member2.get_full_name() in str(error.value)
    assert org.member1.get_full_name() not in str(error.value)
    _final(org.member2, org.unit1, "75", Rating.GOOD)

    services.evaluation_finalise(evaluation=head, by=org.leader, version=head.version)

    head.refresh_from_db()
    assert head.is_unit_head
    assert head.unit_score == Decimal("10.00")  # 50 % of the 20 unit points
    assert head.task_score == Decimal("10.00")  # no approved work of their own
    assert head.total_score == Decimal("40.00")


@pytest.mark.usefixtures("march_closed")
def test_appeal_within_the_deadline_amended_by_the_leader_changes_the_rating(org, month_of_work):
    evaluation = scored(org.member1, org.head1, general="1")
    evaluation = services.evaluation_finalise(
        evaluation=evaluation, by=org.leader, version=evaluation.version
    )
    assert evaluation.rating == Rating.NOT_COMPLETED  # 38.37 + 3

    appeal = services.appeal_file(evaluation=evaluation, by=org.member1, reason="Tôi đã hoàn thành đúng hạn")
    assert Notification.objects.filter(recipient=org.leader, key__startswith="appeal-filed").exists()
    with pytest.raises(ValidationError, match="Bạn đã khiếu nại đánh giá này"):
        services.appeal_file(evaluation=evaluation, by=org.member1, reason="Lần nữa")

    appeal = services.appeal_decide(
        appeal=appeal,
        by=org.leader,
        amend=True,
        decision="Chấp nhận một phần",
        version=appeal.version,
        points=FULL,
    )

    evaluation.refresh_from_db()
    assert appeal.status == AppealStatus.AMENDED
    assert (appeal.rating_before, appeal.rating_after) == (Rating.NOT_COMPLETED, Rating.COMPLETED)
    assert evaluation.rating == Rating.COMPLETED
    assert evaluation.total_score == appeal.score_after == Decimal("68.37")  # 38.37 + 30
    assert Notification.objects.filter(recipient=org.member1, key__startswith="appeal-decided").exists()
    assert list(AuditEvent.objects.filter(object_type="appeal").values_list("action", flat=True)) == [
        "appeal.decided",
        "appeal.filed",
    ]


@pytest.mark.usefixtures("march_closed")
def test_an_upheld_appeal_keeps_the_score_and_needs_a_written_decision(org, month_of_work):
    evaluation = scored(org.member1, org.head1)
    evaluation = services.evaluation_finalise(
        evaluation=evaluation, by=org.leader, version=evaluation.version
    )
    appeal = services.appeal_file(evaluation=evaluation, by=org.member1, reason="Xin xem lại")
    with pytest.raises(ValidationError, match="nội dung quyết định"):
        services.appeal_decide(
            appeal=appeal, by=org.leader, amend=False, decision=" ", version=appeal.version
        )
    with pytest.raises(PermissionDenied, match="Chỉ lãnh đạo cơ quan mới được giải quyết khiếu nại"):
        services.appeal_decide(
            appeal=appeal, by=org.head1, amend=False, decision="Giữ", version=appeal.version
        )

    appeal = services.appeal_decide(
        appeal=appeal, by=org.leader, amend=False, decision="Giữ nguyên", version=1
    )

    assert appeal.status == AppealStatus.UPHELD
    assert appeal.score_after == appeal.score_before


@pytest.mark.usefixtures("march_closed")
def test_no_appeal_after_the_deadline(org, month_of_work):
    evaluation = scored(org.member1, org.head1)
    evaluation = services.evaluation_finalise(
        evaluation=evaluation, by=org.leader, version=evaluation.version
    )
    # Finalised on 01/04: the appeal window (10 days by default) closed on 11/04.
    late = datetime.datetime(2026, 4, 12, 9, tzinfo=datetime.UTC)
    with time_machine.travel(late, tick=False), pytest.raises(ValidationError, match="11/04/2026"):
        services.appeal_file(evaluation=evaluation, by=org.member1, reason="Muộn")


@pytest.mark.dates
def test_weights_keep_the_decrees_split_and_only_an_administrator_changes_them(org):
    from org.models import Role
    from org.tests.factories import RoleAssignmentFactory

    scheme = selectors.scheme_of(org.agency)
    values = {name: getattr(scheme, name) for name in services.SCHEME_FIELDS}
    with pytest.raises(PermissionDenied, match="Chỉ quản trị viên của cơ quan"):
        services.scheme_update(scheme=scheme, by=org.leader, values=values, reason="Đổi", version=None)
    RoleAssignmentFactory(person=org.hr, role=Role.ADMINISTRATOR, agency=org.agency)
    with pytest.raises(ValidationError, match="cho 71 và 30 điểm"):
        services.scheme_update(
            scheme=scheme, by=org.hr, values=values | {"quantity_points": 31}, reason="Đổi", version=None
        )

    services.scheme_update(
        scheme=scheme,
        by=org.hr,
        values=values | {"quantity_points": 35, "progress_points": 15},
        reason="Ưu tiên khối lượng",
        version=None,
    )

    scheme.refresh_from_db()
    assert (scheme.quantity_points, scheme.progress_points) == (35, 15)
    event = AuditEvent.objects.get(action="scheme.changed")
    assert (event.before["quantity_points"], event.after["quantity_points"]) == (30, 35)


def test_quarter_and_year_results_are_derived_from_the_final_months(org, frozen_now):
    for month, score in ((1, "92"), (2, "80"), (3, "71")):
        MonthlyEvaluation.objects.create(
            person=org.member1,
            agency=org.agency,
            unit=org.unit1,
            month=datetime.date(2026, month, 1),
            status=EvaluationStatus.FINAL,
            total_score=Decimal(score),
            rating=Rating.GOOD,
        )
    results = {r.label: r for r in selectors.period_results(org.member1, 2026)}
    assert results["Q1"].score == Decimal("81.00")
    assert results["Q1"].rating == Rating.GOOD
    assert results["Q2"].score is None
    assert results["2026"].months == 3
