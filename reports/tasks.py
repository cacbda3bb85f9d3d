"""Background jobs of the reports: computing months and rendering PDFs. They take ids and retry themselves."""

from __future__ import annotations

import datetime
import logging
from typing import cast

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError, OperationalError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from kpi_portal import periods, standards
from kpi_portal.tasks import enqueue
from kpi_portal.text import short_date
from org import calendar
from org import selectors as org_selectors
from org.models import Agency, Role, RoleAssignment
from org.notifications import notify

from .models import MonthSent


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def compute_month(agency_id: int, month: str) -> int:
    """Compute one agency's month (ISO date of any day of it); returns the number of people."""
    from .services import month_compute

    agency = Agency.objects.get(pk=agency_id)
    return month_compute(agency=agency, month=datetime.date.fromisoformat(month)).people


logger = logging.getLogger(__name__)


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def recompute_stale_month(agency_id: int, month: str) -> int | None:
    """Recompute an agency-month marked stale (see ``org.figures``); returns the number of people."""
    from .services import stale_month_recompute

    result = stale_month_recompute(agency_id=agency_id, month=datetime.date.fromisoformat(month))
    return None if result is None else result.people


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def sweep_stale_months() -> int:
    """Recompute every month still marked stale: the marks a lost nudge (broker down) left behind.

    Beat runs it every minute; it works in the worker itself, one month after another.
    """
    from .services import stale_month_recompute, stale_months

    months = stale_months()
    for agency_id, month in months:
        stale_month_recompute(agency_id=agency_id, month=month)
    return len(months)


def nudge_recompute(*, months, **_kwargs) -> None:
    """Receiver of ``org.signals.figures_changed``: recompute now if a broker takes the task.

    The mark is already committed, so a broker that is down costs only time: the
    sweeper recomputes the month when it next runs. The user's request never fails here.
    """
    for agency_id, month in sorted(months):
        if enqueue(recompute_stale_month, agency_id, month.isoformat()) is None:
            logger.warning("could not enqueue the recompute of %s %s; the sweeper will", agency_id, month)


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def compute_previous_month(on: str | None = None) -> list[str]:
    """From the first working day of a month on, compute the previous month of every agency that needs it.

    Beat runs it every morning (see the periodic task in the admin). A month needs it when its
    figures are missing or were computed before it closed (before this month's first working day):
    so a morning missed during an outage is caught up the next morning, and the schedule follows
    each agency's calendar (Tết, make-up days) without being edited.
    """
    from django.utils import timezone

    from org.selectors import today

    from .models import MonthRun

    day = datetime.date.fromisoformat(on) if on else today()
    first = periods.month_start(day)
    previous = periods.previous_month(day)
    computed = dict(MonthRun.objects.filter(month=previous).values_list("agency_id", "computed_at"))
    done = []
    for agency in Agency.objects.order_by("code"):
        working = calendar.working_days(agency, first, day)
        if not working:
            continue  # the month's first working day has not come: the previous month may still change
        at = computed.get(agency.pk)
        if at is not None and timezone.localdate(at) >= working[0]:
            continue
        enqueue(compute_month, agency.pk, previous.isoformat())
        done.append(agency.code)
    return done


@shared_task(bind=True, acks_late=True, max_retries=3)
def render_report(self, job_id: int) -> str:
    """Prepare a PDF report job (``reports.jobs.job_run``); a lost database connection is retried."""
    from .jobs import job_fail, job_run

    try:
        return job_run(job_id, retry=self.request.retries > 0)
    except OperationalError as error:
        if self.request.retries >= self.max_retries:
            job_fail(job_id)
            raise
        raise self.retry(exc=error, countdown=5 * 2**self.request.retries) from error


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3)
def sweep_report_jobs() -> dict[str, int]:
    """Fail the report jobs that stopped giving signs of life, send again those the broker lost, and
    delete the expired ones.

    Beat runs it every minute; ``/healthz/`` reads its last run to see that beat is ticking.
    """
    from .jobs import jobs_sweep

    failed, requeued, deleted = jobs_sweep()
    return {"failed": failed, "requeued": requeued, "deleted": deleted}


# Days before the 25th (the Department of Home Affairs' deadline) when HR is reminded of a month not sent.
SEND_REMINDER_DAYS = 3


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3)
def remind_results_to_send(on: str | None = None) -> int:
    """Every morning: remind each agency's HR of last month's results not marked sent, from three days
    before they are due (and after, until they are); once a day each (the notification's key)."""
    today = datetime.date.fromisoformat(on) if on else org_selectors.today()
    month = periods.previous_month(today)
    due = standards.monthly_report_due(month)
    if today < due - datetime.timedelta(days=SEND_REMINDER_DAYS):
        return 0
    sent = set(MonthSent.objects.filter(month=month).values_list("agency_id", flat=True))
    hr = RoleAssignment.objects.filter(role=Role.HR, agency__isnull=False, person__is_active=True).exclude(
        agency_id__in=sent
    )
    told = 0
    with translation.override(settings.LANGUAGE_CODE):
        for role in hr.select_related("person", "agency"):
            agency = cast(Agency, role.agency)  # agency__isnull=False above
            page = reverse("reports:agency", args=[agency.code])
            told += notify(
                recipient=role.person,
                key=f"results-to-send:{role.agency_id}:{month:%Y-%m}:{role.person_id}:{today.isoformat()}",
                title=_("%(agency)s: the results of %(month)s are due at Home Affairs by %(day)s")
                % {"agency": agency.code, "month": f"{month:%m/%Y}", "day": short_date(due)},
                body=_("Send them, then mark them sent on the agency's report page."),
                url=f"{page}?month={periods.month_value(month)}",
            )
    return told
