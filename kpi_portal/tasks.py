"""Enqueue follow-up work without letting a broker fault reach the user.

Follow-up work is enqueued after the commit (``transaction.on_commit``): the change is saved,
so a broker that is down must cost only time, never a 500. Whatever the task would have done
is recoverable from the database (the sweeper recomputes the ``StaleMonth`` marks); the
warning in the log says what was not enqueued.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

logger = logging.getLogger(__name__)


def enqueue(task: Any, *args: Any) -> Any:
    """``task.delay(*args)``; on any error log a warning and return None instead of raising."""
    try:
        return task.delay(*args)
    except Exception:
        logger.warning("could not enqueue %s%r", getattr(task, "name", task), args, exc_info=True)
        return None


def every_minute(name: str, task: str) -> Any:
    """A migration operation that adds beat's every-minute schedule of ``task`` (a sweeper), editable
    afterwards in the admin (Periodic tasks) under ``name``; reversed, it removes it."""
    from django.db import migrations

    def create(apps, schema_editor):
        IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
        PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
        minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "interval": minute})

    def remove(apps, schema_editor):
        apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=name).delete()

    return migrations.RunPython(create, remove)


def on_schedule(name: str, task: str, *, minute: str, hour: str = "*", day_of_week: str = "*") -> Any:
    """A migration operation that adds beat's crontab schedule of ``task`` (Vietnam's time), editable
    afterwards in the admin (Periodic tasks) under ``name``; reversed, it removes it."""
    from django.db import migrations

    def create(apps, schema_editor):
        CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
        PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week=day_of_week,
            day_of_month="*",
            month_of_year="*",
            timezone="Asia/Ho_Chi_Minh",
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab})

    def remove(apps, schema_editor):
        apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=name).delete()

    return migrations.RunPython(create, remove)


# Background jobs kept as rows (report PDFs, handbook PDFs) share their signs of life: ``status``,
# ``heartbeat_at`` (each progress step; for a queued job, when it was last sent) and ``created_at``.


def silent_since(limit: datetime.datetime) -> Q:
    """Jobs with no sign of life since ``limit``: their last heartbeat, or their creation if none."""
    return Q(heartbeat_at__lt=limit) | Q(heartbeat_at__isnull=True, created_at__lt=limit)


def stale_q(now: datetime.datetime, *, running: str, queued: str, seconds: int) -> Q:
    """Jobs that will never finish: running without a heartbeat for ``seconds`` (their worker died),
    or still queued after as long (their message was lost)."""
    limit = now - datetime.timedelta(seconds=seconds)
    return (Q(status=running) & silent_since(limit)) | Q(status=queued, created_at__lt=limit)


def requeue(jobs: QuerySet, *, queued: str, task: Any, after: datetime.timedelta) -> int:
    """Send ``task`` again for the ``jobs`` still queued with no sign of life for ``after``; returns
    how many. A job delivered twice runs once: only the delivery that moves it on from queued runs it."""
    now = timezone.now()
    ids = list(jobs.filter(status=queued).filter(silent_since(now - after)).values_list("pk", flat=True))
    jobs.model.objects.filter(pk__in=ids, status=queued).update(heartbeat_at=now)
    for job_id in ids:
        enqueue(task, job_id)
    return len(ids)
