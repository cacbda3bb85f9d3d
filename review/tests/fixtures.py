"""Review fixtures (loaded by the root conftest.py): submitted days waiting in the queue."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from worklog.models import DiaryEntry, EntryStatus
from worklog.tests.factories import DiaryEntryFactory

MONDAY = datetime.date(2026, 3, 9)
TUESDAY = datetime.date(2026, 3, 10)


@dataclass
class Review:
    """member1: two entries on Monday, one on Tuesday; member2: one on Monday (all reviewed by head1).

    head1: one entry on Monday (reviewed by the agency leader). member_b (agency B): one entry.
    """

    member1_monday: list[DiaryEntry]
    member1_tuesday: DiaryEntry
    member2_monday: DiaryEntry
    head1_monday: DiaryEntry
    member_b_monday: DiaryEntry


def submitted(person, unit, stage, day, quantity="1", **kwargs) -> DiaryEntry:
    return DiaryEntryFactory(
        person=person,
        unit=unit,
        stage=stage,
        date=day,
        quantity=Decimal(quantity),
        status=EntryStatus.SUBMITTED,
        evidence_ref="12/STC-NS",
        **kwargs,
    )


@pytest.fixture
def review(org, diary, frozen_now) -> Review:
    from catalog.tests.factories import StageFactory, StandardTaskFactory

    other_task = StandardTaskFactory(version__agency=org.other_agency, code="C.09")
    other_stage = StageFactory(task=other_task, order=1, norm_minutes=60)
    return Review(
        member1_monday=[
            submitted(org.member1, org.unit1, diary.budget_intake, MONDAY, "2"),
            submitted(org.member1, org.unit1, diary.budget_review, MONDAY, "1"),
        ],
        member1_tuesday=submitted(org.member1, org.unit1, diary.study, TUESDAY, "3"),
        member2_monday=submitted(org.member2, org.unit1, diary.budget_review, MONDAY, "1.5"),
        head1_monday=submitted(org.head1, org.unit1, diary.budget_intake, MONDAY, "4"),
        member_b_monday=submitted(org.member_b, org.other_agency.units.get(code="QLXD"), other_stage, MONDAY),
    )
