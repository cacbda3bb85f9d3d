"""A new norm never rewrites history: an earlier month keeps its score, its explanation and its hours.

Entries copy their stage's norm when they are saved (``DiaryEntry.standard_minutes``); a catalog
version published later, with another norm for the same stage, is for the work logged from its date.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from assignments.models import Assignment
from catalog import selectors as catalog_selectors
from catalog import services as catalog_services
from catalog.services import StageInput, TaskInput
from evaluation import services
from evaluation.models import EvaluationStatus, ScoringScheme, TaskBasis
from org.tests.factories import TODAY
from reports.models import PersonMonth
from reports.services import month_compute
from worklog.models import EntryStatus
from worklog.tests.factories import DiaryEntryFactory

# Hours against 8 h a working day: these months are measured on the capacity basis.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("capacity_basis")]
FEBRUARY = datetime.date(2026, 2, 1)
CRITERIA = ("conduct", "competence", "initiative")  # Decree 335/2025 Article 12 (a 2026 month)


@pytest.fixture
def february(org, diary, frozen_now):
    """member1's February: five days of C.01 stage 2 at its norm of 240 minutes, one with a major error."""
    return scored_february(org, diary)


def scored_february(org, diary, assignment=None):
    """The five days approved (toward ``assignment`` if given), then the month self-assessed and scored."""
    for day in range(2, 7):
        DiaryEntryFactory(
            person=org.member1,
            unit=org.unit1,
            stage=diary.budget_review,
            date=datetime.date(2026, 2, day),
            quantity=Decimal("1.5"),
            status=EntryStatus.APPROVED,
            assignment=assignment,
            major_errors=1 if day == 3 else 0,
        )
    evaluation = services.evaluation_open(person=org.member1, month=FEBRUARY)
    points = {c: Decimal(5) for c in CRITERIA}
    evaluation = services.self_assess(
        evaluation=evaluation, by=org.member1, points=points, comments={}, comment="", version=None
    )
    return services.evaluation_score(
        evaluation=evaluation, by=org.head1, points=points, comments={}, comment="", version=None
    )


def publish_new_norm(org, catalog, minutes: int) -> None:
    """The catalog manager doubles C.01 stage 2 in a new version, in force from today."""
    draft = catalog_services.draft_open(agency=org.agency, by=org.catalog_manager)
    task = draft.tasks.get(code="C.01")
    stages = [
        StageInput(s.order, s.name, minutes if s.order == 2 else s.norm_minutes, id=s.pk)
        for s in task.stages.all()
    ]
    data = TaskInput(
        code=task.code,
        name=task.name,
        group=task.group,
        output_unit=task.output_unit,
        evidence_kind=task.evidence_kind,
        description=task.description,
        stages=tuple(stages),
    )
    catalog_services.task_update(task=task, data=data, by=org.catalog_manager, stages=stages)
    catalog_services.catalog_publish(agency=org.agency, effective_from=TODAY, by=org.leader)


def explained(client, evaluation) -> tuple:
    """What the explained-score page says: the computation, the hours and the two tables as shown."""
    response = client.get(reverse("evaluation:detail", args=[evaluation.pk]))
    text = response.content.decode()
    tables = tuple(
        re.search(rf'<table[^>]*data-testid="{name}".*?</table>', text, re.S).group(0)
        for name in ("breakdown", "entries")
    )
    context = response.context
    return context["live"], context["approved_hours"], context["changed_since"], tables


def stored(evaluation) -> tuple:
    evaluation.refresh_from_db()
    return (
        evaluation.approved_minutes,
        evaluation.quantity_score,
        evaluation.quality_score,
        evaluation.progress_score,
        evaluation.task_score,
        evaluation.total_score,
        evaluation.rating,
    )


def hours(org) -> tuple:
    month_compute(agency=org.agency, month=FEBRUARY)
    row = PersonMonth.objects.get(agency=org.agency, month=FEBRUARY, person=org.member1)
    return row.approved_minutes, row.approved_hours, row.hours_per_day


def test_publishing_a_new_norm_leaves_an_earlier_months_score_explanation_and_hours(
    client, org, catalog, february
):
    client.force_login(org.member1)
    score_before, explanation_before, hours_before = stored(february), explained(client, february), hours(org)
    assert february.approved_minutes == Decimal("1800.00")  # 5 × 1.5 × 240

    publish_new_norm(org, catalog, minutes=480)

    assert catalog_selectors.norm_on(org.agency, "C.01", 2, TODAY) == 480  # the new norm is in force
    assert explained(client, february) == explanation_before
    assert explanation_before[2] is False  # nothing to warn about: the entries are as they were scored
    assert hours(org) == hours_before
    # Finalising computes the month again, from the entries as they are now.
    final = services.evaluation_finalise(evaluation=february, by=org.leader, version=february.version)
    assert final.status == EvaluationStatus.FINAL
    assert stored(final) == score_before


@pytest.fixture
def assigned_february(org, diary, frozen_now):
    """The same February measured on the work assigned: head1 had assigned 7.5 products of C.01 stage 2
    (its norm then, 240 minutes, frozen on the assignment), delivered by the five entries."""
    ScoringScheme.objects.filter(agency=org.agency).update(task_basis=TaskBasis.ASSIGNED)
    assignment = Assignment.objects.create(
        agency=org.agency,
        unit=org.unit1,
        person=org.member1,
        task=diary.budget_review.task,
        stage=diary.budget_review,
        quantity=Decimal("7.5"),
        norm_minutes=240,
        standard_minutes=Decimal(1800),
        due_date=datetime.date(2026, 2, 27),
        assigned_by=org.head1,
    )
    return scored_february(org, diary, assignment)


def test_on_the_assigned_basis_too_a_new_norm_leaves_the_month_and_its_assignments_as_they_were(
    client, org, catalog, assigned_february
):
    client.force_login(org.member1)
    page = client.get(reverse("evaluation:detail", args=[assigned_february.pk])).content.decode()
    products_before = re.search(r'<table[^>]*data-testid="products".*?</table>', page, re.S).group(0)
    score_before, explanation_before = stored(assigned_february), explained(client, assigned_february)
    assert assigned_february.expected_minutes == Decimal("1800.00")

    publish_new_norm(org, catalog, minutes=480)

    assert explained(client, assigned_february) == explanation_before
    page = client.get(reverse("evaluation:detail", args=[assigned_february.pk])).content.decode()
    assert re.search(r'<table[^>]*data-testid="products".*?</table>', page, re.S).group(0) == products_before
    final = services.evaluation_finalise(
        evaluation=assigned_february, by=org.leader, version=assigned_february.version
    )
    assert stored(final) == score_before
