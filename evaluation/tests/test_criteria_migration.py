"""The migrations to criteria as data keep what was there: weights, scored months, their criteria."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from evaluation.models import CriterionScore, MonthlyEvaluation, ScoringScheme

BEFORE = [("evaluation", "0004_task_basis")]
AFTER = [("evaluation", "0007_general_criteria_columns")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_scored_months_keep_decree_90s_criteria_and_the_agencys_weights_become_rows(org):
    old = migrate(BEFORE)
    Scheme = old.get_model("evaluation", "ScoringScheme")
    Evaluation = old.get_model("evaluation", "MonthlyEvaluation")
    Score = old.get_model("evaluation", "CriterionScore")
    Scheme.objects.create(
        agency_id=org.agency.pk, politics_points=10, ethics_points=5, discipline_points=5, attitude_points=5,
        innovation_points=5,
    )  # fmt: skip

    def evaluation(person, month):
        return Evaluation.objects.create(
            person_id=person.pk, agency_id=org.agency.pk, unit_id=org.unit1.pk, month=month
        )

    # February 2026 was scored on the old criteria before the change; March 2026 not yet.
    scored = evaluation(org.member1, datetime.date(2026, 2, 1))
    for key in ("politics", "ethics", "discipline", "attitude", "innovation"):
        Score.objects.create(evaluation=scored, criterion=key, by="supervisor", points=Decimal(5))
    waiting = evaluation(org.member2, datetime.date(2026, 3, 1))
    december = evaluation(org.head1, datetime.date(2025, 12, 1))

    migrate(AFTER)
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # what the models below read

    scheme = ScoringScheme.objects.get(agency=org.agency)
    assert {row.criterion.key: row.points for row in scheme.criterion_weights.all()} == {
        "politics": 10,
        "ethics": 5,
        "discipline": 5,
        "attitude": 5,
        "innovation": 5,
    }
    assert [scheme.criterion_points(key) for key in ("conduct", "competence", "initiative")] == [10, 10, 10]
    assert MonthlyEvaluation.objects.get(pk=scored.pk).criteria_version.name == "Nghị định 90/2020/NĐ-CP"
    assert MonthlyEvaluation.objects.get(pk=december.pk).criteria_version.name == "Nghị định 90/2020/NĐ-CP"
    assert MonthlyEvaluation.objects.get(pk=waiting.pk).criteria_version.name == "Nghị định 335/2025/NĐ-CP"
    scores = CriterionScore.objects.filter(evaluation_id=scored.pk).select_related("criterion")
    assert sorted(s.criterion.key for s in scores) == [
        "attitude",
        "discipline",
        "ethics",
        "innovation",
        "politics",
    ]
    assert {s.criterion.version.name for s in scores} == {"Nghị định 90/2020/NĐ-CP"}
