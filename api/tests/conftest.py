"""API fixtures: a client key for each agency of ``org`` (STC and SXD), evidence and a month of figures."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from api.models import ApiClient
from api.services import api_client_create
from evaluation.models import EvaluationStatus, MonthlyEvaluation, Rating
from evidence.models import AssignmentKind, CalendarAssignment, OutgoingDocument
from reports.models import PersonMonth, UnitMonth

MARCH = datetime.date(2026, 3, 1)


@dataclass
class Client:
    record: ApiClient
    key: str
    api: APIClient  # sends the key with every request


def _client(agency, name: str) -> Client:
    record, key = api_client_create(agency=agency, name=name)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return Client(record=record, key=key, api=api)


@pytest.fixture
def stc(org) -> Client:
    return _client(org.agency, "E-Office STC")


@pytest.fixture
def sxd(org) -> Client:
    return _client(org.other_agency, "E-Office SXD")


@pytest.fixture
def recheck(monkeypatch) -> list[int]:
    """The agency ids whose diaries were sent to be checked again (no broker needed)."""
    calls: list[int] = []
    monkeypatch.setattr("evidence.tasks.recheck_agency.delay", calls.append)
    return calls


@dataclass
class Records:
    stc_document: OutgoingDocument  # EO-1, 12/STC-NS, 05/03/2026, member1 of NS
    sxd_document: OutgoingDocument  # SXD-1, 7/SXD-QLXD, 06/03/2026, member_b
    stc_meeting: CalendarAssignment  # LICH-1, 09/03/2026, head1 and member1
    sxd_meeting: CalendarAssignment  # SXD-LICH-1, 09/03/2026, member_b


@pytest.fixture
def records(org) -> Records:
    stc_document = OutgoingDocument.objects.create(
        agency=org.agency, source_id="EO-1", number="12/STC-NS", issued_on=datetime.date(2026, 3, 5),
        summary="Về dự toán 2026", drafter=org.member1, drafting_unit=org.unit1,
    )  # fmt: skip
    OutgoingDocument.objects.create(
        agency=org.agency, source_id="EO-2", number="13/STC-NS", issued_on=datetime.date(2026, 2, 20)
    )
    sxd_document = OutgoingDocument.objects.create(
        agency=org.other_agency, source_id="SXD-1", number="7/SXD-QLXD", issued_on=datetime.date(2026, 3, 6),
        drafter=org.member_b,
    )  # fmt: skip
    stc_meeting = CalendarAssignment.objects.create(
        agency=org.agency, source_id="LICH-1", date=datetime.date(2026, 3, 9), kind=AssignmentKind.MEETING,
        title="Họp giao ban", start_time=datetime.time(8), end_time=datetime.time(10),
    )  # fmt: skip
    stc_meeting.participants.set([org.head1, org.member1])
    sxd_meeting = CalendarAssignment.objects.create(
        agency=org.other_agency, source_id="SXD-LICH-1", date=datetime.date(2026, 3, 9),
        title="Kiểm tra công trình", kind=AssignmentKind.FIELD_VISIT,
    )  # fmt: skip
    sxd_meeting.participants.set([org.member_b])
    return Records(stc_document, sxd_document, stc_meeting, sxd_meeting)


@pytest.fixture
def march(org) -> None:
    """March 2026 computed for both agencies (22 working days), with final and unfinished evaluations."""

    def person(agency, who, unit, minutes, **extra):
        return PersonMonth.objects.create(
            agency=agency, month=MARCH, person=who, unit=unit, working_days=22,
            approved_minutes=Decimal(minutes), **extra,
        )  # fmt: skip

    # member1: 22 days × 5.5 h = 121 h (the article's average); head1 7 h a day.
    person(
        org.agency, org.member1, org.unit1, 22 * 330, pending_count=2, score=Decimal("82.50"), rating="good"
    )
    person(org.agency, org.head1, org.unit1, 22 * 420, days_over_eight=3)
    person(org.agency, org.hr, org.unit2, 22 * 240, missing_evidence=1)
    person(org.other_agency, org.member_b, org.member_b.memberships.get().unit, 22 * 480)
    UnitMonth.objects.create(
        agency=org.agency, month=MARCH, unit=None, working_days=22, headcount=3, person_days=66,
        approved_minutes=Decimal(22 * 990), four_to_six=2, six_to_eight=1, good=1, unrated=2,
    )  # fmt: skip
    UnitMonth.objects.create(
        agency=org.agency, month=MARCH, unit=org.unit1, working_days=22, headcount=2, person_days=44,
        approved_minutes=Decimal(22 * 750), four_to_six=1, six_to_eight=1, good=1, unrated=1,
    )  # fmt: skip
    UnitMonth.objects.create(
        agency=org.other_agency, month=MARCH, unit=None, working_days=22, headcount=1, person_days=22,
        approved_minutes=Decimal(22 * 480), eight_or_more=1, unrated=1,
    )  # fmt: skip

    def evaluation(who, agency, unit, status, **extra):
        return MonthlyEvaluation.objects.create(
            person=who, agency=agency, unit=unit, month=MARCH, status=status, **extra
        )

    evaluation(
        org.member1, org.agency, org.unit1, EvaluationStatus.FINAL, rating=Rating.GOOD,
        quantity_score=Decimal("27.50"), quality_score=Decimal("15"), progress_score=Decimal("15"),
        task_score=Decimal("57.50"), general_score=Decimal("25"), total_score=Decimal("82.50"),
    )  # fmt: skip
    evaluation(org.head1, org.agency, org.unit1, EvaluationStatus.SCORED, rating=Rating.EXCELLENT,
               total_score=Decimal("91"))  # fmt: skip
    evaluation(
        org.member_b, org.other_agency, org.member_b.memberships.get().unit, EvaluationStatus.FINAL,
        rating=Rating.EXCELLENT, total_score=Decimal("95"),
    )  # fmt: skip
