"""A month scored on the work assigned: the hand-computed cases of issue 13, end to end.

March 2026 (frozen at 10/03): head1 assigns member1; member1's approved entries count toward the
assignments; the supervisor scores. Default weights 30/20/20 and the three general
criteria of Decree 335 (10 points each).
"""

import datetime
from decimal import Decimal

import pytest

from assignments import services as assignment_services
from assignments.models import Assignment
from evaluation import selectors, services
from evaluation.models import EvaluationStatus, Rating
from worklog.models import EntryStatus
from worklog.tests.factories import DiaryEntryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
MARCH = datetime.date(2026, 3, 1)
CRITERIA = ("conduct", "competence", "initiative")


def assign(org, stage, quantity, due) -> Assignment:
    data = assignment_services.AssignmentInput(
        task=stage.task, stage=stage, quantity=Decimal(quantity), due_date=due
    )
    return assignment_services.assignments_create(people=[org.member1], data=data, by=org.head1)[0]


def done(org, assignment, day, quantity="1", **marks):
    return DiaryEntryFactory(
        person=org.member1,
        unit=org.unit1,
        stage=assignment.stage,
        date=day,
        quantity=Decimal(quantity),
        status=EntryStatus.APPROVED,
        assignment=assignment,
        **marks,
    )


def scored(org, general: str):
    points = {c: Decimal(general) for c in CRITERIA}
    evaluation = services.evaluation_open(person=org.member1, month=MARCH)
    evaluation = services.self_assess(
        evaluation=evaluation, by=org.member1, points=points, comments={}, comment="", version=None
    )
    evaluation = services.evaluation_score(
        evaluation=evaluation, by=org.head1, points=points, comments={}, comment="", version=None
    )
    return evaluation


def test_everything_assigned_done_on_time_without_error_with_general_27_is_97_excellent(org, diary):
    review = assign(org, diary.budget_review, "3", datetime.date(2026, 3, 17))
    reply = assign(org, diary.study, "2", datetime.date(2026, 3, 20))
    done(org, review, datetime.date(2026, 3, 11), "2")
    done(org, review, datetime.date(2026, 3, 16), "1")
    done(org, reply, datetime.date(2026, 3, 12), "2")
    evaluation = scored(org, "9")
    assert (evaluation.task_basis, evaluation.expected_minutes) == ("assigned", Decimal(840))
    assert (evaluation.task_score, evaluation.total_score, evaluation.rating) == (
        Decimal("70.00"),
        Decimal("97.00"),
        Rating.EXCELLENT,
    )


def test_four_products_two_late_one_with_an_error_and_an_objective_cause_for_one_delay(org, diary, client):
    due = datetime.date(2026, 3, 13)
    work = [assign(org, diary.budget_review, "1", due) for _ in range(4)]
    done(org, work[0], datetime.date(2026, 3, 12))
    done(org, work[1], datetime.date(2026, 3, 12), major_errors=1)
    late = done(org, work[2], datetime.date(2026, 3, 16))  # after the due date: a delay, automatically
    done(org, work[3], datetime.date(2026, 3, 17))
    evaluation = scored(org, "10")
    # Quality: 20 × (1 − 0.25 / 4) = 18.75; progress: 20 × (1 − 0.5 / 4) = 17.5; quantity 30.
    assert (evaluation.quantity_score, evaluation.quality_score, evaluation.progress_score) == (
        Decimal("30.00"),
        Decimal("18.75"),
        Decimal("17.50"),
    )
    services.objective_cause_confirm(
        entry=late, by=org.leader, reason="Hệ thống một cửa ngừng hoạt động 2 ngày"
    )
    evaluation = selectors.evaluation_of(org.member1, MARCH)
    assert evaluation.status == EvaluationStatus.SCORED
    assert evaluation.progress_score == Decimal("18.75")  # one delay left
    # The explained score shows every assignment with its completion.
    client.force_login(org.member1)
    page = client.get(f"/review/evaluations/{evaluation.pk}/").content.decode()
    assert page.count('data-testid="product"') == 4
    assert page.count('text-bg-success">hoàn thành đúng hạn (12/03/2026)') == 2
    assert page.count('text-bg-warning">hoàn thành trễ hạn') == 2


def test_one_short_entry_with_nothing_assigned_is_not_completed(org, diary):
    DiaryEntryFactory(
        person=org.member1,
        unit=org.unit1,
        stage=diary.study,
        date=datetime.date(2026, 3, 9),
        quantity=Decimal("0.5"),
        status=EntryStatus.APPROVED,
    )
    evaluation = scored(org, "10")
    assert (evaluation.task_score, evaluation.total_score, evaluation.rating) == (
        Decimal("0.00"),
        Decimal("30.00"),
        Rating.NOT_COMPLETED,
    )


def test_work_for_a_later_assignment_counts_in_the_month_it_is_due(org, diary):
    april = assign(org, diary.budget_review, "1", datetime.date(2026, 4, 3))
    march = assign(org, diary.budget_review, "1", datetime.date(2026, 3, 20))
    done(org, april, datetime.date(2026, 3, 11))
    done(org, march, datetime.date(2026, 3, 12))
    evaluation = scored(org, "10")
    assert evaluation.expected_minutes == Decimal(240)  # March's assignment only
    assert evaluation.task_score == Decimal("70.00")


def test_the_routine_missed_by_beat_is_issued_when_the_month_is_scored(org, diary):
    org.member1.position = "Chuyên viên ngân sách"
    org.member1.save()
    assignment_services.recurring_create(
        agency=org.agency,
        position="Chuyên viên ngân sách",
        task=diary.study.task,
        stage=None,
        quantity=Decimal(10),
        note="",
        by=org.leader,
    )
    Assignment.objects.all().delete()  # as if the month began during an outage
    evaluation = scored(org, "10")
    assert evaluation.expected_minutes == Decimal(600)  # 10 × 60 minutes, issued while scoring
    assert evaluation.task_score == Decimal("0.00")
