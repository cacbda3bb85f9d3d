import datetime
import json
import os

import pytest
from asgiref.sync import async_to_sync
from django.test import RequestFactory
from django.utils import timezone
from health_check.views import HealthCheckView

from conftest import require
from kpi_portal.health import SWEEPER_TASK, BeatTicking, CeleryWorkers, ReportQueue, health_checks


def sweeper_ran(at: datetime.datetime) -> None:
    """Beat ran the every-minute report sweeper at ``at`` (django-celery-beat's record of it)."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.update_or_create(
        task=SWEEPER_TASK, defaults={"name": "sweeper", "interval": every_minute, "last_run_at": at}
    )


@pytest.fixture
def background(request, settings):
    """A site whose background work runs: with a broker, a real worker and a beat that just ticked."""
    if settings.CELERY_BROKER_URL:
        request.getfixturevalue("celery_worker_on_redis")
    sweeper_ran(timezone.now())


def check(checks, path="/healthz/"):
    """Run /healthz/ with ``checks``; the status code and each check's result by name."""
    view = HealthCheckView.as_view(checks=checks)
    response = async_to_sync(view)(RequestFactory().get(path, HTTP_ACCEPT="application/json"))
    return response.status_code, json.loads(response.content)


@pytest.mark.django_db(transaction=True)
def test_it_reports_database_and_cache_healthy(client, background):
    response = client.get("/healthz/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    checks = response.json()
    assert any(name.startswith("Database") for name in checks)
    assert any(name.startswith("Cache") for name in checks)
    assert set(checks.values()) == {"OK"}


@pytest.mark.django_db(transaction=True)
def test_it_checks_the_broker_when_one_is_configured(client, settings, background):
    broker = os.environ.get("CELERY_BROKER_URL", "")
    require(broker.startswith("redis://"), "CELERY_BROKER_URL is not set to a Redis URL")

    response = client.get("/healthz/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert any(name.startswith("Redis") and status == "OK" for name, status in response.json().items())


@pytest.mark.django_db(transaction=True)
def test_it_reports_an_unreachable_broker_as_unhealthy(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    view = HealthCheckView.as_view(checks=health_checks())

    response = async_to_sync(view)(RequestFactory().get("/healthz/", HTTP_ACCEPT="application/json"))

    assert response.status_code == 500
    results = json.loads(response.content)
    assert any(name.startswith("Redis") and status != "OK" for name, status in results.items())


@pytest.mark.django_db(transaction=True)
def test_it_fails_when_no_worker_answers_a_ping(settings):
    broker = os.environ.get("CELERY_BROKER_URL", "")
    require(broker.startswith("redis://"), "CELERY_BROKER_URL is not set to a Redis URL")
    settings.CELERY_BROKER_URL = broker  # a reachable Redis on which no worker listens
    sweeper_ran(timezone.now())

    status, results = check(health_checks())

    assert status == 500
    assert results["CeleryWorkers()"].startswith("Unavailable: no Celery worker")
    assert results["BeatTicking()"] == "OK" and results["ReportQueue()"] == "OK"


@pytest.mark.django_db(transaction=True)
def test_it_sees_a_real_worker_answer_the_ping(celery_worker_on_redis, settings):
    status, results = check([(CeleryWorkers, {"broker_url": settings.CELERY_BROKER_URL})])

    assert (status, results) == (200, {"CeleryWorkers()": "OK"})


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("minutes, healthy", [(1, True), (9, True), (11, False)])
def test_it_fails_when_beat_has_not_run_the_sweeper_for_ten_minutes(minutes, healthy):
    sweeper_ran(timezone.now() - datetime.timedelta(minutes=minutes))

    status, results = check([BeatTicking])

    assert status == (200 if healthy else 500)
    assert (results["BeatTicking()"] == "OK") == healthy


@pytest.mark.django_db(transaction=True)
def test_it_fails_when_beat_never_ran_the_sweeper():
    status, results = check([BeatTicking])

    assert status == 500 and "since ever" in results["BeatTicking()"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("minutes, healthy", [(0, True), (4, True), (6, False)])
def test_it_fails_when_a_report_job_waits_in_the_queue_too_long(org, minutes, healthy):
    import time_machine

    from reports.models import JobStatus, ReportJob, ReportKind

    asked = timezone.now() - datetime.timedelta(minutes=minutes)
    with time_machine.travel(asked, tick=False):
        ReportJob.objects.create(
            kind=ReportKind.MONTHLY, agency=org.agency, period=datetime.date(2026, 3, 1),
            requested_by=org.hr, status=JobStatus.QUEUED,
        )  # fmt: skip

    status, results = check([ReportQueue])

    assert status == (200 if healthy else 500)
    assert (results["ReportQueue()"] == "OK") == healthy


def test_the_json_names_the_worker_beat_and_queue_checks_only_when_a_broker_is_configured(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/7"
    with_broker = [c[0] if isinstance(c, tuple) else c for c in health_checks()]
    settings.CELERY_BROKER_URL = ""  # the embedded mode: tasks run in-process, no worker, no beat
    embedded = [c[0] if isinstance(c, tuple) else c for c in health_checks()]

    assert {CeleryWorkers, BeatTicking, ReportQueue} <= set(with_broker)
    assert ReportQueue in embedded and CeleryWorkers not in embedded and BeatTicking not in embedded
