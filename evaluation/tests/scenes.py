"""Scenes shared by the evaluation tests and the fault suite."""

from __future__ import annotations

import datetime
from decimal import Decimal

from evaluation import services
from evaluation.models import EvaluationStatus, MonthlyEvaluation, Rating, ScoringScheme, TaskBasis
from org.tests.factories import MembershipFactory, UnitFactory
from worklog.models import EntryStatus
from worklog.tests.factories import DiaryEntryFactory

MARCH = datetime.date(2026, 3, 1)
CRITERIA = ("conduct", "competence", "initiative")  # Decree 335/2025 Article 12 (a 2026 month)


def one_excellent_slot_left(org, diary) -> list[MonthlyEvaluation]:
    """March 2026: five finals rated good (room for one excellent, 20 % of 5), and member1 and member2
    scored excellent (every working day at 8 h, general criteria full), waiting to be finalised.

    The agency measures on its capacity (8 h a working day), which a month of full days fills.
    """
    ScoringScheme.objects.update_or_create(agency=org.agency, defaults={"task_basis": TaskBasis.CAPACITY})
    unit = UnitFactory(agency=org.agency, parent=org.board, code="X")
    for n in range(5):
        person = MembershipFactory(unit=unit, person__username=f"good{n}").person
        MonthlyEvaluation.objects.create(
            person=person, agency=org.agency, unit=unit, month=MARCH, status=EvaluationStatus.FINAL,
            total_score=Decimal(80), rating=Rating.GOOD,
        )  # fmt: skip
    scored = []
    for person in (org.member1, org.member2):
        for day in range(2, 32):
            date = datetime.date(2026, 3, day)
            if date.weekday() < 5:
                DiaryEntryFactory(
                    person=person, unit=org.unit1, stage=diary.budget_review, date=date,
                    quantity=Decimal(2), status=EntryStatus.APPROVED,
                )  # fmt: skip
        evaluation = services.evaluation_open(person=person, month=MARCH)
        evaluation = services.self_assess(
            evaluation=evaluation, by=person, points=dict.fromkeys(CRITERIA, Decimal(10)),
            comments={}, comment="", version=None,
        )  # fmt: skip
        evaluation = services.evaluation_score(
            evaluation=evaluation, by=org.head1, points=dict.fromkeys(CRITERIA, Decimal(10)),
            comments={}, comment="", version=None,
        )  # fmt: skip
        assert evaluation.rating == Rating.EXCELLENT
        scored.append(evaluation)
    return scored
