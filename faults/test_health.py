"""/healthz/ says so when the Celery worker is gone."""

from __future__ import annotations

import json
import signal

import pytest
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from faults.conftest import wait_for
from kpi_portal.health import SWEEPER_TASK

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


def health(stack) -> tuple[int, dict]:
    answer = stack.browser().get("/healthz/?format=json")
    return answer.status, json.loads(answer.body)


def named(checks: dict, name: str) -> str:
    [result] = [value for key, value in checks.items() if key.startswith(name)]
    return result


def test_healthz_is_green_with_a_worker_and_a_ticking_beat_and_names_the_worker_once_it_is_killed(
    stack, figures
):
    figures.scenario = "7. Health when the worker is killed"
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.MINUTES)
    sweeper = PeriodicTask.objects.create(name="Report job sweeper", task=SWEEPER_TASK, interval=every_minute)
    # What beat records after each run of the sweeper.
    PeriodicTask.objects.filter(pk=sweeper.pk).update(last_run_at=timezone.now())
    stack.start_web()
    worker = stack.start_worker()

    status, checks = health(stack)
    assert status == 200, json.dumps(checks)
    assert set(checks.values()) == {"OK"}
    assert named(checks, "CeleryWorkers") == "OK" and named(checks, "BeatTicking") == "OK"

    worker.signal_group(signal.SIGKILL)
    wait_for(lambda: not worker.running, 10, "the worker to die")
    status, checks = health(stack)

    figures.expected = "200 with a worker; 500 naming CeleryWorkers without one"
    figures.observed = f"{status}; CeleryWorkers: {named(checks, 'CeleryWorkers')}"
    assert status == 500, json.dumps(checks)
    assert named(checks, "CeleryWorkers").endswith("no Celery worker answered a ping")
    assert named(checks, "Database") == "OK" and named(checks, "BeatTicking") == "OK"
    figures.write()
