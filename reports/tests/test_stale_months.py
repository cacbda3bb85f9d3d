"""Marked months (``org.figures``) are recomputed even when the nudge after the commit is lost."""

import datetime
import io
import logging

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from org.figures import months_changed, people_changed
from org.models import StaleMonth, StalePerson
from reports import services, tasks
from reports.models import PersonMonth, UnitMonth
from worklog import lifecycle

from .fixtures import APRIL

pytestmark = pytest.mark.django_db


def approve_with_the_broker_down(entry, by, monkeypatch, capture):
    """Approve; the nudge after the commit cannot reach a broker (it must not fail the request)."""

    def broker_down(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.recompute_stale_month, "delay", broker_down)
    with capture(execute=True):
        lifecycle.entries_approve(approvals={entry.pk: lifecycle.Approval(version=entry.version)}, by=by)


def test_an_approval_made_while_the_broker_is_down_reaches_the_figures_through_the_sweeper(
    org, april, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    call_command("compute_reports", "--month", "2025-04", "--agency", "STC", stdout=io.StringIO())
    before = PersonMonth.objects.get(person=org.member1).approved_minutes

    with caplog.at_level(logging.WARNING, logger="reports.tasks"):
        approve_with_the_broker_down(
            april.pending, org.head1, monkeypatch, django_capture_on_commit_callbacks
        )

    assert "the sweeper will" in caplog.text
    assert PersonMonth.objects.get(person=org.member1).approved_minutes == before  # not yet
    assert StaleMonth.objects.filter(agency=org.agency, month=APRIL).exists()

    assert tasks.sweep_stale_months() == 1

    assert PersonMonth.objects.get(person=org.member1).approved_minutes == before + 120
    assert not StaleMonth.objects.exists()


def test_a_change_marked_during_a_recompute_keeps_its_mark_for_the_next_run(org, april, monkeypatch):
    call_command("compute_reports", "--month", "2025-04", "--agency", "STC", stdout=io.StringIO())
    months_changed({(org.agency.pk, APRIL)})
    real_compute = services.month_compute

    def compute_while_someone_approves(**kwargs):
        result = real_compute(**kwargs)
        # Another request commits a change of the same month while this run is writing.
        months_changed({(org.agency.pk, APRIL)})
        return result

    monkeypatch.setattr(services, "month_compute", compute_while_someone_approves)

    services.stale_month_recompute(agency_id=org.agency.pk, month=APRIL)

    assert StaleMonth.objects.filter(agency=org.agency, month=APRIL).exists()


def test_a_change_whose_clock_is_behind_still_keeps_its_mark(org, april, monkeypatch):
    """Two web servers' clocks (or two transactions begun in another order) cannot lose a change."""
    call_command("compute_reports", "--month", "2025-04", "--agency", "STC", stdout=io.StringIO())
    months_changed({(org.agency.pk, APRIL)})
    real_compute = services.month_compute

    def compute_while_a_late_clock_approves(**kwargs):
        result = real_compute(**kwargs)
        with time_machine.travel(timezone.now() - datetime.timedelta(minutes=5)):
            months_changed({(org.agency.pk, APRIL)})
        return result

    monkeypatch.setattr(services, "month_compute", compute_while_a_late_clock_approves)

    services.stale_month_recompute(agency_id=org.agency.pk, month=APRIL)

    assert StaleMonth.objects.get(agency=org.agency, month=APRIL).generation == 2


def test_a_mark_of_a_month_never_computed_is_dropped_without_figures(org, april):
    months_changed({(org.agency.pk, APRIL)})

    assert services.stale_month_recompute(agency_id=org.agency.pk, month=APRIL) is None

    assert not PersonMonth.objects.exists()
    assert not StaleMonth.objects.exists()


def test_marks_take_the_first_day_of_the_month_and_one_row_per_agency_month(org):
    months_changed({(org.agency.pk, APRIL.replace(day=17)), (org.agency.pk, APRIL)})
    months_changed({(org.agency.pk, APRIL.replace(day=30))})

    assert list(StaleMonth.objects.values_list("agency_id", "month", "generation")) == [
        (org.agency.pk, APRIL, 2)
    ]


def test_a_report_computes_a_month_with_changes_waiting_before_printing_it(org, april, monkeypatch):
    from reports import pdf

    call_command("compute_reports", "--month", "2025-04", "--agency", "STC", stdout=io.StringIO())
    before = PersonMonth.objects.get(person=org.member1).approved_minutes
    entry = april.pending
    monkeypatch.setattr(tasks.recompute_stale_month, "delay", lambda *args: None)  # the nudge is lost
    lifecycle.entries_approve(approvals={entry.pk: lifecycle.Approval(version=entry.version)}, by=org.head1)

    pdf.months_ready(org.agency, [APRIL], lambda percent, step: None, 0, 100)

    assert PersonMonth.objects.get(person=org.member1).approved_minutes == before + 120


def figures():
    people = PersonMonth.objects.order_by("person_id").values()
    units = UnitMonth.objects.order_by("unit_id").values()
    drop = {"id"}
    return [{k: v for k, v in row.items() if k not in drop} for row in [*people, *units]]


def row_ids():
    return dict(PersonMonth.objects.values_list("person__username", "pk"))


def test_an_approval_redoes_only_its_person_s_row_and_the_totals_as_a_whole_computation_would(
    org, april, monkeypatch
):
    call_command("compute_reports", "--month", "2025-04", "--agency", "STC", stdout=io.StringIO())
    before = row_ids()
    monkeypatch.setattr(tasks.recompute_stale_month, "delay", lambda *args: None)  # the sweep does it
    entry = april.pending
    lifecycle.entries_approve(approvals={entry.pk: lifecycle.Approval(version=entry.version)}, by=org.head1)
    assert list(StalePerson.objects.values_list("person__username", flat=True)) == ["member1"]

    tasks.sweep_stale_months()

    after = row_ids()
    assert after["member1"] != before["member1"]
    assert {name: pk for name, pk in after.items() if name != "member1"} == {
        name: pk for name, pk in before.items() if name != "member1"
    }
    assert not StaleMonth.objects.exists() and not StalePerson.objects.exists()
    partly = figures()
    services.month_compute(agency=org.agency, month=APRIL)
    assert figures() == partly


def test_a_change_for_everyone_makes_the_whole_month_be_redone(org, april):
    call_command("compute_reports", "--month", "2025-04", "--agency", "STC", stdout=io.StringIO())
    before = row_ids()
    people_changed({(org.agency.pk, APRIL, org.member1.pk)})
    months_changed({(org.agency.pk, APRIL)})
    people_changed({(org.agency.pk, APRIL, org.member2.pk)})

    assert StaleMonth.objects.get().whole
    services.stale_month_recompute(agency_id=org.agency.pk, month=APRIL)

    assert not set(row_ids().values()) & set(before.values())
