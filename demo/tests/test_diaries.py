"""The demo shows what Khánh Hòa reported: 84 people of STC at about 5.5 hours a day, 6 above 8.

One seeding per test (it takes seconds), so the checks share one test; it runs on two Sundays a
year apart, since the demo covers the five months before the day it is seeded.
"""

import datetime
import io
from collections import defaultdict
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count, F, Max, Sum

from assignments.models import Assignment
from evaluation.models import Appeal, EvaluationStatus, MonthlyEvaluation, Rating, ScoringScheme, TaskBasis
from kpi_portal.periods import month_end
from org import calendar, leave
from org.models import Agency, Membership, Unit, User
from reports.models import PersonMonth, UnitMonth
from worklog.models import DiaryEntry, EntryStatus
from worklog.selectors import assignment_progress, open_assignments

SUNDAYS = [
    datetime.datetime(2026, 11, 22, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
    datetime.datetime(2027, 11, 21, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
]


def seed_demo(now: datetime.datetime) -> None:
    with time_machine.travel(now, tick=False):
        call_command("seed_demo", force=True, stdout=io.StringIO())


def hours_per_working_day(agency: Agency, start: datetime.date, end: datetime.date) -> dict[int, float]:
    """Approved standard hours per day actually worked of each member of the agency (the SPEC's
    definition: the working days less the leave the demo records in the leave register)."""
    people = Membership.objects.active_on(end).filter(unit__agency=agency).values_list("person_id", flat=True)
    _working, worked = leave.days_worked_of(list(people), agency, start, end)
    minutes = dict(
        DiaryEntry.objects.filter(agency=agency, status=EntryStatus.APPROVED, date__range=(start, end))
        .values_list("person_id")
        .annotate(total=Sum("standard_minutes"))
    )
    return {person: float(minutes.get(person, 0)) / 60 / worked[person] for person in set(people)}


def assert_entries_are_consistent() -> None:
    """Norm × quantity, the person's unit and agency on the day, never self-approved, within the day cap."""
    agency_of = dict(Unit.objects.values_list("pk", "agency_id"))
    memberships = defaultdict(list)
    for person_id, unit_id, start, end in Membership.objects.values_list(
        "person_id", "unit_id", "start", "end"
    ):
        memberships[person_id].append((unit_id, start, end))
    rows = DiaryEntry.objects.values_list(
        "person_id", "date", "unit_id", "agency_id", "norm_minutes", "quantity", "standard_minutes"
    )
    for person_id, day, unit_id, agency_id, norm, quantity, standard in rows:
        assert standard == norm * quantity
        assert 0 < quantity <= 100
        units = [
            u for u, start, end in memberships[person_id] if start <= day and (end is None or day <= end)
        ]
        assert units == [unit_id], (person_id, day)
        assert agency_of[unit_id] == agency_id

    approved = DiaryEntry.objects.filter(status=EntryStatus.APPROVED)
    assert not approved.filter(reviewed_by__isnull=True).exists()
    assert not approved.filter(reviewed_by=F("person")).exists()
    per_day = DiaryEntry.objects.values("person_id", "date").annotate(minutes=Sum("standard_minutes"))
    assert per_day.aggregate(longest=Max("minutes"))["longest"] <= 720


@pytest.mark.django_db
@pytest.mark.parametrize("now", SUNDAYS, ids=lambda now: f"{now:%Y-%m-%d}")
def test_the_demo_diaries_look_like_what_the_province_reported(now):
    seed_demo(now)
    stc = Agency.objects.get(code="STC")
    year = now.year
    q3 = (datetime.date(year, 7, 1), datetime.date(year, 9, 30))
    week_before = (now.date() - datetime.timedelta(days=6), now.date() - datetime.timedelta(days=2))

    # Reports of Q3: about 5.5 approved standard hours a working day on average, a few above 8.
    hours = hours_per_working_day(stc, *q3)
    assert len(hours) == 84
    assert 5.0 <= sum(hours.values()) / len(hours) <= 6.0
    assert 3 <= sum(1 for h in hours.values() if h > 8) <= 10
    canbo = User.objects.get(username="canbo")
    assert 4.5 <= hours[canbo.pk] <= 6.5
    assert DiaryEntry.objects.filter(agency__code="SXD").exists()
    assert DiaryEntry.objects.filter(agency__code="SNV").exists()

    # canbo's reviewer finds three days in a row submitted in the week before today, to approve in bulk.
    per_day = dict(
        DiaryEntry.objects.filter(person=canbo, status=EntryStatus.SUBMITTED, date__range=week_before)
        .values("date")
        .annotate(n=Count("pk"))
        .values_list("date", "n")
    )
    week = calendar.working_days(stc, *week_before)
    assert any(all(per_day.get(day, 0) >= 2 for day in week[i : i + 3]) for i in range(len(week) - 2))

    assert_entries_are_consistent()

    assert_evaluations_are_final_and_within_the_quota(stc, year)
    assert_the_quarter_reads_like_the_article(stc, q3)
    assert_the_work_was_assigned(stc, year, canbo)

    # A second run adds nothing.
    before = DiaryEntry.objects.count(), MonthlyEvaluation.objects.count(), Assignment.objects.count()
    seed_demo(now)
    assert (
        DiaryEntry.objects.count(),
        MonthlyEvaluation.objects.count(),
        Assignment.objects.count(),
    ) == before


def assert_the_work_was_assigned(stc: Agency, year: int, canbo: User) -> None:
    """STC is scored on the work assigned, SNV and SXD on their capacity; STC's months have assignments
    most people complete, some late, a few under-delivered, and a monthly routine for Chuyên viên."""
    bases = dict(ScoringScheme.objects.values_list("agency__code", "task_basis"))
    assert bases == {"STC": TaskBasis.ASSIGNED, "SNV": TaskBasis.CAPACITY, "SXD": TaskBasis.CAPACITY}
    finals = MonthlyEvaluation.objects.filter(agency=stc, status=EvaluationStatus.FINAL)
    assert set(finals.values_list("task_basis", flat=True)) == {TaskBasis.ASSIGNED}
    assert not finals.filter(expected_minutes=0).exists()
    for month in (datetime.date(year, m, 1) for m in (8, 9, 10)):
        assigned = list(Assignment.objects.filter(agency=stc, due_date__range=(month, month_end(month))))
        progress = assignment_progress(assigned).values()
        complete = [p for p in progress if p.complete]
        assert len(complete) >= 0.85 * len(assigned)
        assert 0.05 * len(assigned) <= sum(1 for p in complete if not p.on_time) <= 0.2 * len(assigned)
        short = {p.assignment.person_id for p in progress if not p.complete}
        assert 1 <= len(short) <= 10
        assert Assignment.objects.filter(recurring__position="Chuyên viên", due_date__gte=month).exists()
    assert open_assignments(canbo)  # her waiting week's work: on her home page and her day page


def assert_evaluations_are_final_and_within_the_quota(stc: Agency, year: int) -> None:
    """July to October are final for everyone reviewed in STC, by the rules, with a realistic spread."""
    months = [datetime.date(year, m, 1) for m in (7, 8, 9, 10)]
    for month in months:
        finals = MonthlyEvaluation.objects.filter(agency=stc, month=month, status=EvaluationStatus.FINAL)
        assert finals.count() == 84  # everyone, the director too (scored by the province reviewer)
        ratings = dict(finals.values_list("rating").annotate(n=Count("pk")))
        assert ratings.get(Rating.EXCELLENT, 0) <= ratings[Rating.GOOD] * 20 // 100
        assert ratings[Rating.GOOD] > ratings.get(Rating.EXCELLENT, 0) > 0
    spread = set(MonthlyEvaluation.objects.filter(agency=stc).values_list("rating", flat=True))
    assert spread == set(Rating.values)
    assert not MonthlyEvaluation.objects.filter(month=datetime.date(year, 11, 1)).exists()
    # Each stored score adds up, and its task results are those the rules give from the entries.
    sample = MonthlyEvaluation.objects.filter(agency=stc, person__username="canbo").first()
    assert sample.total_score == sample.task_score + sample.general_score
    assert (
        sample.approved_minutes
        == DiaryEntry.objects.filter(
            person=sample.person, status=EntryStatus.APPROVED, date__month=sample.month.month, date__year=year
        ).aggregate(total=Sum("standard_minutes"))["total"]
    )
    assert Appeal.objects.filter(evaluation__agency=stc).count() == 2


def assert_the_quarter_reads_like_the_article(stc: Agency, q3: tuple[datetime.date, datetime.date]) -> None:
    """The computed figures of Q3: 84 people, about 5.5 approved hours a day, a handful above 8."""
    rows = UnitMonth.objects.filter(agency=stc, unit=None, month__range=q3)
    assert rows.count() == 3
    assert {r.headcount for r in rows} == {84}
    minutes = sum(r.approved_minutes for r in rows)
    days = sum(r.working_days for r in rows)
    assert 5.3 <= float(minutes / 60 / days / 84) <= 5.7
    per_person = (
        PersonMonth.objects.filter(agency=stc, month__range=q3)
        .values("person")
        .annotate(minutes=Sum("approved_minutes"), worked=Sum("working_days"))
    )
    # Each person's hours a day over the days they actually worked (their leave taken out).
    above = [p for p in per_person if float(p["minutes"]) / 60 / p["worked"] > 8]
    assert 3 <= len(above) <= 10
