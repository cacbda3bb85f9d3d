"""Background jobs of the reports: computing months and rendering PDFs. They take ids and retry themselves."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.db import OperationalError

from org import calendar
from org.models import Agency


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def compute_month(agency_id: int, month: str) -> int:
    """Compute one agency's month (ISO date of any day of it); returns the number of people."""
    from .services import month_compute

    agency = Agency.objects.get(pk=agency_id)
    return month_compute(agency=agency, month=datetime.date.fromisoformat(month)).people


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def compute_previous_month(on: str | None = None) -> list[str]:
    """On the first working day of a month, compute the previous month of every agency.

    Beat runs it every morning (see the periodic task in the admin); on other days it does nothing,
    so the schedule follows each agency's calendar (Tết, make-up days) without being edited.
    """
    from org.selectors import today

    day = datetime.date.fromisoformat(on) if on else today()
    first = day.replace(day=1)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    done = []
    for agency in Agency.objects.order_by("code"):
        working = calendar.working_days(agency, first, day)
        if working and working[0] == day:
            compute_month.delay(agency.pk, previous.isoformat())
            done.append(agency.code)
    return done


@shared_task(bind=True, acks_late=True, max_retries=3)
def render_report(self, job_id: int) -> str:
    """Prepare a PDF report job (``reports.jobs.job_run``); a lost database connection is retried."""
    from .jobs import job_fail, job_run

    try:
        return job_run(job_id)
    except OperationalError as error:
        if self.request.retries >= self.max_retries:
            job_fail(job_id)
            raise
        raise self.retry(exc=error, countdown=5 * 2**self.request.retries) from error
