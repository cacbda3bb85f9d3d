"""Enqueue follow-up work without letting a broker fault reach the user.

Follow-up work is enqueued after the commit (``transaction.on_commit``): the change is saved,
so a broker that is down must cost only time, never a 500. Whatever the task would have done
is recoverable from the database (the sweeper recomputes the ``StaleMonth`` marks); the
warning in the log says what was not enqueued.
"""

from __future__ import annotations

import logging
from typing import Any

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
