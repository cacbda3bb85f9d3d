"""Evidence fixtures (loaded by the root conftest.py): a meeting task and some E-Office records."""

import datetime
from dataclasses import dataclass

import pytest

from catalog.models import EvidenceKind, Stage
from catalog.tests.factories import StageFactory, StandardTaskFactory
from evidence.models import AssignmentKind, CalendarAssignment, OutgoingDocument

MONDAY = datetime.date(2026, 3, 9)


@dataclass
class Evidence:
    meeting: Stage  # A.02 stage 1, evidence: meeting, 60 minutes
    document: OutgoingDocument  # 12/STC-NS, drafted by member1 on Monday
    assignment: CalendarAssignment  # Monday's meeting with member1 and head1


@pytest.fixture
def evidence(org, catalog, diary) -> Evidence:
    task = StandardTaskFactory(
        version=catalog.version, code="A.02", group="A", evidence_kind=EvidenceKind.MEETING
    )
    document = OutgoingDocument.objects.create(
        agency=org.agency, source_id="EO-12", number="12/STC-NS", issued_on=MONDAY, summary="Về dự toán 2026",
        drafter=org.member1, drafting_unit=org.unit1,
    )  # fmt: skip
    assignment = CalendarAssignment.objects.create(
        agency=org.agency, source_id="LICH-1", date=MONDAY, kind=AssignmentKind.MEETING, title="Họp giao ban"
    )
    assignment.participants.set([org.member1, org.head1])
    return Evidence(
        meeting=StageFactory(task=task, order=1, name="Dự họp", norm_minutes=60),
        document=document,
        assignment=assignment,
    )
