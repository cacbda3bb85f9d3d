"""A month of figures to check by hand: April 2025 of agency A (loaded by the root conftest.py).

April 2025 has 21 working days: 22 weekdays, less the Hùng Kings' day (7/4) and 30/4, plus
Saturday 26/4, worked to make up for the bridge day of 2/5.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from worklog.models import DiaryEntry, EntryStatus
from worklog.tests.factories import DiaryEntryFactory

APRIL = datetime.date(2025, 4, 1)


@dataclass
class April:
    working_days: list[datetime.date]
    pending: DiaryEntry


def _log(person, unit, stage, day, quantity, status=EntryStatus.APPROVED, **extra):
    return DiaryEntryFactory(
        person=person, unit=unit, stage=stage, date=day, quantity=Decimal(quantity), status=status,
        evidence_ref=extra.pop("evidence_ref", "15/STC-NS"), **extra,
    )  # fmt: skip


@pytest.fixture
def april(org, diary) -> April:
    """member1: 20 days × 6 h = 120 h; member2: 8 days × 8 h, one of 10 h = 74 h; head1: 21 × 5 h = 105 h.

    member1 also has an entry waiting for review, one returned and one draft (none of them counted);
    one of member2's approved entries has no evidence.
    """
    from org import calendar

    days = calendar.working_days(org.agency, APRIL, datetime.date(2025, 4, 30))
    assert len(days) == 21
    for day in days[:20]:
        _log(org.member1, org.unit1, diary.budget_review, day, "1.5", estimate_minutes=420)
    for day in days[:8]:
        _log(org.member2, org.unit1, diary.budget_review, day, "2")
    _log(org.member2, org.unit1, diary.budget_review, days[8], "2.5", evidence_ref="")
    for day in days:
        _log(org.head1, org.unit1, diary.budget_intake, day, "5")
    pending = _log(org.member1, org.unit1, diary.study, days[20], "2", status=EntryStatus.SUBMITTED)
    _log(org.member1, org.unit1, diary.study, days[20], "1", status=EntryStatus.RETURNED, return_reason="Sai")
    _log(org.member1, org.unit1, diary.study, days[19], "1", status=EntryStatus.DRAFT)
    return April(working_days=days, pending=pending)
