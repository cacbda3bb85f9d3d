"""Every person of the demo has a reviewer: the directors are reviewed and evaluated by the province
reviewer (``ubnd``), and no entry waits for nobody."""

import datetime

import pytest
from django.core.management import call_command

from demo.diaries import PENDING_DAYS
from demo.window import demo_window
from evaluation.models import EvaluationStatus, MonthlyEvaluation
from org import calendar
from org.models import Agency, User
from org.selectors import people_without_reviewer, review_maps, reviewer_for, today
from review.selectors import review_queue
from worklog.models import DiaryEntry, EntryStatus

pytestmark = pytest.mark.usefixtures("demo")
DIRECTORS = ("giamdoc", "giamdoc.sxd", "giamdoc.snv")


def test_every_active_member_has_a_reviewer():
    assert people_without_reviewer() == []
    call_command("check_review_line")  # exits with status 1 when somebody has none

    ubnd = User.objects.get(username="ubnd")
    assert not ubnd.memberships.exists()
    for username in DIRECTORS:
        assert reviewer_for(User.objects.get(username=username), today()) == ubnd


def test_no_entry_waits_without_a_reviewer_nor_longer_than_the_waiting_window():
    for agency in Agency.objects.all():
        days = calendar.working_days(agency, demo_window(today()).start, today() - datetime.timedelta(days=1))
        pending_from = days[-PENDING_DAYS]
        waiting = list(
            DiaryEntry.objects.filter(agency=agency, status=EntryStatus.SUBMITTED).values_list(
                "person_id", "date"
            )
        )
        assert waiting, agency.code
        assert min(day for _person, day in waiting) >= pending_from, agency.code
        maps = review_maps(agency.pk, min(day for _p, day in waiting), max(day for _p, day in waiting))
        assert all(person_id in maps[day] for person_id, day in waiting), agency.code
        director = User.objects.get(memberships__unit__agency=agency, username__in=DIRECTORS)
        assert DiaryEntry.objects.filter(
            person=director, status=EntryStatus.APPROVED, reviewed_by__username="ubnd"
        ).exists()


def test_the_province_reviewer_finds_the_directors_waiting_days():
    queue = review_queue(User.objects.get(username="ubnd"))

    assert queue.days
    assert {day.person.username for day in queue.days} <= set(DIRECTORS)


def test_the_directors_months_are_evaluated_by_the_province_reviewer():
    months = demo_window(today()).final_months
    assert months
    evaluations = MonthlyEvaluation.objects.filter(person__username__in=DIRECTORS, month__in=months)

    assert evaluations.count() == len(DIRECTORS) * len(months)
    assert set(evaluations.values_list("status", "scored_by__username", "finalised_by__username")) == {
        (EvaluationStatus.FINAL, "ubnd", "ubnd")
    }
