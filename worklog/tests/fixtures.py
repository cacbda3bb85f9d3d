"""Diary fixtures shared by the diary tests (loaded by the root conftest.py)."""

from dataclasses import dataclass

import pytest

from catalog.models import EvidenceKind, Stage
from catalog.tests.factories import StageFactory, StandardTaskFactory


@dataclass
class Diary:
    """Stages of agency A's published catalog to log against."""

    budget_intake: Stage  # C.01 stage 1: 60 minutes, evidence: outgoing document
    budget_review: Stage  # C.01 stage 2: 240 minutes
    study: Stage  # D.01 stage 1: 60 minutes, no evidence needed


@pytest.fixture
def diary(org, catalog) -> Diary:
    study = StandardTaskFactory(
        version=catalog.version,
        code="D.01",
        name="Học tập, bồi dưỡng",
        group="D",
        evidence_kind=EvidenceKind.NONE,
    )
    return Diary(
        budget_intake=catalog.budget.stages.get(order=1),
        budget_review=catalog.budget.stages.get(order=2),
        study=StageFactory(task=study, order=1, name="Tham dự lớp bồi dưỡng", norm_minutes=60),
    )
