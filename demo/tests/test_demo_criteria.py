"""The demo months are scored on the general criteria in force on their first day: Decree 335/2025
Article 12's three groups for the months of 2026 (docs/general-criteria.md)."""

import datetime

import pytest

from evaluation.models import CriteriaVersion, CriterionScore, EvaluationStatus, MonthlyEvaluation

pytestmark = pytest.mark.dates


def test_each_demo_month_is_scored_on_the_criteria_of_its_first_day(demo):
    finals = MonthlyEvaluation.objects.filter(status=EvaluationStatus.FINAL).select_related(
        "criteria_version"
    )
    months = set(finals.values_list("month", flat=True))
    assert months
    for month in months:
        version = CriteriaVersion.objects.in_force_on(month)
        assert {e.criteria_version for e in finals.filter(month=month)} == {version}
        keys = set(
            CriterionScore.objects.filter(evaluation__month=month).values_list("criterion__key", flat=True)
        )
        assert keys == {c.key for c in version.criteria.all()}
        if month >= datetime.date(2026, 1, 1):
            assert version.name == "Nghị định 335/2025/NĐ-CP"
            assert keys == {"conduct", "competence", "initiative"}
