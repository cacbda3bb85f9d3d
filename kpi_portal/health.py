"""Checks behind /healthz/: database and cache always, the Celery broker when one is configured.

With a broker (not in the embedded eager mode, where tasks run in-process) it also fails when no
worker answers a ping and when beat has not run the every-minute report sweeper for
``HEALTH_BEAT_STALE_SECONDS``; always when a report job has waited in the queue longer than
``REPORT_JOB_STALE_SECONDS`` (nobody takes the work). ``?format=json`` names each check.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.conf import settings
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

SWEEPER_TASK = "reports.tasks.sweep_report_jobs"


@dataclasses.dataclass
class CeleryWorkers(HealthCheck):
    """At least one Celery worker answers a ping on the broker, within a second."""

    broker_url: str = dataclasses.field(repr=False)
    timeout = datetime.timedelta(seconds=3)

    def run(self) -> None:
        from kpi_portal.celery import app

        try:
            with app.connection_for_write(self.broker_url) as connection:
                replies = app.control.ping(timeout=1.0, connection=connection)
        except Exception as error:
            raise ServiceUnavailable("the broker did not take the ping") from error
        if not replies:
            raise ServiceUnavailable("no Celery worker answered a ping")


@dataclasses.dataclass
class BeatTicking(HealthCheck):
    """Beat ran the every-minute sweeper lately (its last run, as django-celery-beat records it)."""

    async def run(self) -> None:
        from django_celery_beat.models import PeriodicTask

        sweeper = PeriodicTask.objects.filter(task=SWEEPER_TASK, enabled=True)
        last_run = await sweeper.order_by("-last_run_at").values_list("last_run_at", flat=True).afirst()
        limit = timezone.now() - datetime.timedelta(seconds=settings.HEALTH_BEAT_STALE_SECONDS)
        if last_run is None or last_run < limit:
            raise ServiceUnavailable(f"beat has not run {SWEEPER_TASK} since {last_run or 'ever'}")


@dataclasses.dataclass
class ReportQueue(HealthCheck):
    """No report job has waited in the queue longer than ``REPORT_JOB_STALE_SECONDS``."""

    async def run(self) -> None:
        from reports.models import JobStatus, ReportJob

        queued = ReportJob.objects.filter(status=JobStatus.QUEUED).order_by("created_at")
        oldest = await queued.values_list("created_at", flat=True).afirst()
        if oldest is None:
            return
        waiting = (timezone.now() - oldest).total_seconds()
        if waiting > settings.REPORT_JOB_STALE_SECONDS:
            raise ServiceUnavailable(f"the oldest queued report job has waited {waiting:.0f} s")


def health_checks() -> list:
    checks: list = ["health_check.checks.Database", "health_check.checks.Cache", ReportQueue]
    broker = settings.CELERY_BROKER_URL
    if broker.startswith(("redis://", "rediss://")):
        from health_check.contrib.redis import Redis
        from redis.asyncio import Redis as RedisClient

        checks.append((Redis, {"client_factory": lambda: RedisClient.from_url(broker)}))
    if broker:
        checks += [(CeleryWorkers, {"broker_url": broker}), BeatTicking]
    return checks
