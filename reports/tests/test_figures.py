"""The monthly figures, checked by hand on April 2025 (21 working days)."""

import datetime
from decimal import Decimal

import pytest

from evaluation.models import EvaluationStatus, MonthlyEvaluation, Rating
from org.tests.factories import MembershipFactory
from reports.models import MonthRun, PersonMonth, UnitMonth
from reports.services import month_compute
from worklog.models import EntryStatus

from .fixtures import APRIL

pytestmark = pytest.mark.django_db


def rows(model, **filters):
    return list(model.objects.filter(**filters).order_by("pk").values())


def figures(org):
    return {r.person_id: r for r in PersonMonth.objects.filter(agency=org.agency, month=APRIL)}


def test_hours_a_day_are_approved_standard_hours_over_the_working_days(org, april):
    month_compute(agency=org.agency, month=APRIL)
    people = figures(org)

    member1, member2, head1 = people[org.member1.pk], people[org.member2.pk], people[org.head1.pk]
    assert member1.working_days == 21
    assert member1.approved_minutes == Decimal("7200.00")  # 20 × 1,5 × 240
    assert round(member1.hours_per_day, 4) == Decimal("5.7143")  # 120 h ÷ 21
    assert round(member2.hours_per_day, 4) == Decimal("3.5238")  # 74 h ÷ 21
    assert head1.hours_per_day == Decimal(5)  # 105 h ÷ 21
    assert round(member1.share_of_eight, 2) == Decimal("71.43")
    assert round(member1.estimate_hours_per_day, 4) == Decimal("6.6667")  # 20 × 7 h ÷ 21, never counted
    assert (member1.days_with_entries, member1.pending_count, member1.returned_count) == (21, 1, 1)
    assert (member2.days_over_eight, member2.missing_evidence) == (1, 1)
    assert people[org.leader.pk].approved_minutes == 0


def test_staffing_need_and_surplus_of_the_unit_and_the_agency(org, april):
    month_compute(agency=org.agency, month=APRIL)
    unit = UnitMonth.objects.get(agency=org.agency, month=APRIL, unit=org.unit1)
    agency = UnitMonth.objects.get(agency=org.agency, month=APRIL, unit=None)

    # 299 approved hours ÷ (8 h × 21 days) = 1,7798 posts of work for 3 people
    assert unit.headcount == 3
    assert unit.approved_hours == Decimal(299)
    assert round(unit.staffing_need, 4) == Decimal("1.7798")
    assert round(unit.surplus, 4) == Decimal("1.2202")
    assert round(unit.hours_per_day, 4) == Decimal("4.7460")  # 299 ÷ 21 ÷ 3
    assert unit.distribution == [1, 2, 0, 0]  # 3,52 h; 5,71 h and 5 h
    # The agency: the same work, 9 people (the board, two units and the unit without a head).
    assert agency.headcount == 9
    assert round(agency.surplus, 4) == Decimal("7.2202")
    assert agency.distribution == [7, 2, 0, 0]
    assert MonthRun.objects.get(agency=org.agency, month=APRIL).working_days == 21


def test_final_ratings_are_in_the_figures_and_others_are_not(org, april):
    for person, status, rating in ((org.member1, EvaluationStatus.FINAL, Rating.GOOD),
                                   (org.member2, EvaluationStatus.SCORED, Rating.EXCELLENT)):  # fmt: skip
        MonthlyEvaluation.objects.create(
            person=person, agency=org.agency, unit=org.unit1, month=APRIL, status=status,
            total_score=Decimal("82.5"), rating=rating,
        )  # fmt: skip
    month_compute(agency=org.agency, month=APRIL)
    people = figures(org)
    assert (people[org.member1.pk].score, people[org.member1.pk].rating) == (Decimal("82.50"), Rating.GOOD)
    assert people[org.member2.pk].rating == ""
    unit = UnitMonth.objects.get(agency=org.agency, month=APRIL, unit=org.unit1)
    assert (unit.good, unit.excellent, unit.unrated) == (1, 0, 2)


def test_someone_who_left_during_the_month_keeps_their_work_but_not_a_post(org, diary, april):
    membership = org.member2.memberships.get()
    membership.end = datetime.date(2025, 4, 20)
    membership.save()
    month_compute(agency=org.agency, month=APRIL)
    row = figures(org)[org.member2.pk]
    unit = UnitMonth.objects.get(agency=org.agency, month=APRIL, unit=org.unit1)
    assert row.in_headcount is False
    assert row.unit == org.unit1
    assert unit.headcount == 2
    assert unit.approved_hours == Decimal(299)


def test_a_second_run_gives_the_same_rows(org, april):
    month_compute(agency=org.agency, month=APRIL)
    first = [{k: v for k, v in r.items() if k != "id"} for r in rows(PersonMonth)]
    units = [{k: v for k, v in r.items() if k != "id"} for r in rows(UnitMonth)]
    month_compute(agency=org.agency, month=APRIL)
    assert [{k: v for k, v in r.items() if k != "id"} for r in rows(PersonMonth)] == first
    assert [{k: v for k, v in r.items() if k != "id"} for r in rows(UnitMonth)] == units
    assert MonthRun.objects.count() == 1


def test_a_run_that_fails_half_way_leaves_the_previous_figures(org, april, monkeypatch):
    month_compute(agency=org.agency, month=APRIL)
    before = rows(PersonMonth)
    april.pending.status = EntryStatus.APPROVED
    april.pending.save()

    def crash(*args, **kwargs):
        raise RuntimeError("the worker died")

    monkeypatch.setattr(UnitMonth.objects, "bulk_create", crash)
    with pytest.raises(RuntimeError, match="the worker died"):
        month_compute(agency=org.agency, month=APRIL)

    assert rows(PersonMonth) == before


def test_the_job_runs_the_same_number_of_queries_for_10_or_50_people(org, april):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    month_compute(agency=org.agency, month=APRIL)  # the first run also creates the month's MonthRun
    with CaptureQueriesContext(connection) as small:
        month_compute(agency=org.agency, month=APRIL)
    for n in range(40):
        MembershipFactory(unit=org.unit2, person__username=f"extra{n}")
    with CaptureQueriesContext(connection) as large:
        month_compute(agency=org.agency, month=APRIL)

    assert PersonMonth.objects.filter(month=APRIL).count() == 49
    assert len(large) == len(small) <= 20


def test_open_evidence_flags_are_counted_and_cleared_ones_are_not(org, april):
    from django.utils import timezone

    from evidence.models import EntryFlag, FlagKind

    entry = org.member1.diary_entries.filter(status=EntryStatus.APPROVED).first()
    EntryFlag.objects.create(entry=entry, kind=FlagKind.DOCUMENT_MISSING, detail="Không có văn bản")
    EntryFlag.objects.create(
        entry=entry,
        kind=FlagKind.DOCUMENT_DATE,
        detail="Xa ngày",
        cleared_at=timezone.now(),
        cleared_reason="Đúng",
    )
    month_compute(agency=org.agency, month=APRIL)
    assert figures(org)[org.member1.pk].open_flags == 1
    assert figures(org)[org.member2.pk].open_flags == 0
