"""The monthly job: on a real Celery worker, on the first working day, again after late approvals."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from org.models import StaleMonth
from reports import tasks
from reports.models import MonthRun, PersonMonth, UnitMonth
from worklog import lifecycle
from worklog.models import EntryStatus

from .fixtures import APRIL


def snapshot():
    return sorted(
        PersonMonth.objects.values_list("person_id", "approved_minutes", "pending_count", "days_over_eight")
    )


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_computes_the_month_and_a_second_run_gives_the_same_rows(
    celery_worker_on_redis, org, april
):
    people = tasks.compute_month.apply_async((org.agency.pk, "2025-04-15"), ignore_result=False).get(
        timeout=60
    )
    first = snapshot()
    again = tasks.compute_month.apply_async((org.agency.pk, "2025-04-01"), ignore_result=False).get(
        timeout=60
    )

    assert people == again == 9
    assert snapshot() == first
    assert PersonMonth.objects.get(person=org.member1).approved_minutes == 7200
    assert UnitMonth.objects.filter(month=APRIL).count() == 5  # three units, the board and the agency
    assert MonthRun.objects.count() == 1


@pytest.mark.django_db
def test_the_schedule_computes_the_previous_month_on_the_first_working_day_only(org, april, eager_celery):
    # 1/5 and 2/5/2025 are off (2/5 made up on 26/4), 3–4/5 a weekend: Monday 5/5 is the first working day.
    assert tasks.compute_previous_month(on="2025-05-02") == []
    assert not MonthRun.objects.exists()
    assert tasks.compute_previous_month(on="2025-05-05") == ["STC", "SXD"]
    assert set(MonthRun.objects.values_list("agency__code", "month")) == {("STC", APRIL), ("SXD", APRIL)}
    assert tasks.compute_previous_month(on="2025-05-06") == []


@pytest.mark.django_db
def test_a_late_approval_recomputes_a_month_already_computed(
    org, april, eager_celery, django_capture_on_commit_callbacks
):
    call_command("compute_reports", "--month", "2025-04", "--agency", "STC", stdout=io.StringIO())
    assert PersonMonth.objects.get(person=org.member1).pending_count == 1

    entry = april.pending
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.entries_approve(
            approvals={entry.pk: lifecycle.Approval(version=entry.version)}, by=org.head1
        )

    row = PersonMonth.objects.get(person=org.member1)
    assert row.pending_count == 0
    assert row.approved_minutes == 7200 + 120
    entry.refresh_from_db()
    assert entry.status == EntryStatus.APPROVED


@pytest.mark.django_db
def test_approving_a_month_not_computed_yet_computes_nothing(
    org, april, eager_celery, django_capture_on_commit_callbacks
):
    entry = april.pending
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.entries_approve(
            approvals={entry.pk: lifecycle.Approval(version=entry.version)}, by=org.head1
        )
    # The month was marked and announced; the recompute finds no figures to correct and drops the mark.
    assert not MonthRun.objects.exists()
    assert not PersonMonth.objects.exists()
    assert not StaleMonth.objects.exists()


@pytest.mark.django_db
def test_the_command_computes_one_agency_or_all_and_explains_bad_input(org, april):
    out = io.StringIO()
    call_command("compute_reports", "--month", "2025-04", stdout=out)
    assert "STC 04/2025: 9 people" in out.getvalue()
    assert MonthRun.objects.count() == 2
    with pytest.raises(CommandError, match="2026-09"):
        call_command("compute_reports", "--month", "04/2025")
    with pytest.raises(CommandError, match="XYZ"):
        call_command("compute_reports", "--month", "2025-04", "--agency", "XYZ")


@pytest.mark.django_db
def test_the_schedule_is_in_the_admins_periodic_tasks(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="reports.tasks.compute_previous_month")
    assert (task.crontab.hour, task.crontab.minute) == ("6", "0")
    assert datetime.date  # the task decides the day itself (see compute_previous_month)


@pytest.mark.django_db
def test_a_missed_first_working_day_is_caught_up_the_next_morning(org, april, eager_celery):
    # Beat did not run on Monday 5/5 (an outage): Tuesday's run computes April all the same, once.
    assert tasks.compute_previous_month(on="2025-05-06") == ["STC", "SXD"]
    assert set(MonthRun.objects.values_list("agency__code", "month")) == {("STC", APRIL), ("SXD", APRIL)}
    assert tasks.compute_previous_month(on="2025-05-07") == []


@pytest.mark.django_db
def test_figures_computed_before_the_month_closed_are_computed_again_once_it_has(org, april, eager_celery):
    with time_machine.travel(datetime.datetime(2025, 4, 30, 17, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))):
        call_command("compute_reports", "--month", "2025-04", "--agency", "STC", stdout=io.StringIO())

    assert tasks.compute_previous_month(on="2025-05-05") == ["STC", "SXD"]
