"""A check of the diary against the evidence, once asked for, is done even if the broker loses it,
and a nightly check that never came is caught up."""

import datetime

import pytest
from django.db import connection, transaction
from django.utils import timezone

from conftest import require
from evidence import imports, services, tasks
from evidence.imports import DOCUMENT_HEADERS, ImportKind
from evidence.models import AgencyRecheck, EntryFlag, FlagKind
from org.tests.factories import NOW

from .test_imports import xlsx
from .test_rules import entry, kinds

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def broker_down(monkeypatch):
    def refused(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.recheck_agency, "delay", refused)


def test_an_import_whose_check_the_broker_lost_is_checked_by_the_next_sweep(
    org, diary, monkeypatch, django_capture_on_commit_callbacks
):
    waiting = entry(org, diary.budget_intake, evidence_ref="20/STC-NS")
    services.check_entries([waiting])
    assert kinds(waiting) == {FlagKind.DOCUMENT_MISSING}
    AgencyRecheck.objects.create(agency=org.other_agency, checked_at=timezone.now())  # checked, not due
    broker_down(monkeypatch)
    content = xlsx([["VB-020", "20/STC-NS", "09/03/2026", "Dự toán", "member1", "NS"]], DOCUMENT_HEADERS)

    with django_capture_on_commit_callbacks(execute=True):
        result = imports.import_file(
            agency=org.agency, kind=ImportKind.DOCUMENTS, filename="e-office.xlsx", content=content, by=org.hr
        )

    assert not result.problems
    assert kinds(waiting) == {FlagKind.DOCUMENT_MISSING}  # not checked yet: the broker lost the nudge
    assert AgencyRecheck.objects.get(agency=org.agency).requested_at is not None

    assert tasks.sweep_rechecks() == 1
    assert tasks.sweep_rechecks() == 0

    assert kinds(waiting) == set()
    assert EntryFlag.objects.get(entry=waiting).resolved_at is not None
    state = AgencyRecheck.objects.get(agency=org.agency)
    assert (state.requested_at, state.checked_at) == (None, NOW)


@pytest.mark.parametrize(("hours_ago", "due"), [(26, True), (2, False)])
def test_an_agency_not_checked_for_more_than_a_day_is_checked_by_the_sweep(org, hours_ago, due):
    AgencyRecheck.objects.create(agency=org.agency, checked_at=NOW - datetime.timedelta(hours=hours_ago))
    AgencyRecheck.objects.create(agency=org.other_agency, checked_at=NOW)

    assert services.rechecks_due() == ([org.agency.pk] if due else [])
    assert tasks.sweep_rechecks() == int(due)


def test_an_agency_never_checked_is_checked_at_once(org):
    assert sorted(services.rechecks_due()) == sorted([org.agency.pk, org.other_agency.pk])
    assert tasks.sweep_rechecks() == 2
    assert set(AgencyRecheck.objects.values_list("checked_at", flat=True)) == {NOW}


def test_the_nightly_run_marks_every_agency(org, monkeypatch):
    nudged = []
    monkeypatch.setattr(tasks.recheck_agency, "delay", nudged.append)
    AgencyRecheck.objects.create(agency=org.agency, checked_at=NOW)

    with transaction.atomic():
        assert tasks.recheck_all() == 2

    assert AgencyRecheck.objects.filter(requested_at__isnull=False).count() == 2


def test_the_sweep_runs_every_minute_from_beat(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="evidence.tasks.sweep_rechecks")

    assert task.enabled and (task.interval.every, task.interval.period) == (1, "minutes")


@pytest.mark.django_db(transaction=True)
def test_an_import_committing_during_a_check_keeps_its_request_for_the_next_one(org, diary, monkeypatch):
    require(connection.vendor == "postgresql", "the concurrency tests need PostgreSQL (DATABASE_URL)")
    from evaluation.tests.test_concurrency import HoldAfterLock, race

    monkeypatch.setattr(tasks.recheck_agency, "delay", lambda *args: None)
    AgencyRecheck.objects.create(agency=org.agency, requested_at=NOW)
    # The check stops once it has read the diary, holding the agency's row.
    hold = HoldAfterLock(monkeypatch, services, "recheck_agency")

    def ask_again():
        with transaction.atomic():
            services.recheck_request([org.agency.pk])

    first, second = race(hold, lambda: services.recheck_due(org.agency.pk), ask_again)

    assert first.error is None and second.error is None, (first.error, second.error)
    assert first.result == 0
    state = AgencyRecheck.objects.get(agency=org.agency)
    assert state.requested_at is not None and state.checked_at is not None
