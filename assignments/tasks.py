"""The monthly routine of job positions, issued by Celery beat (schedule in the admin: Periodic tasks).

Issuing is idempotent (one assignment per routine, person and month, by a unique constraint), so the
hourly run only fills what is missing: a month started during an outage, a person who joined a position.
Scoring a month issues its routine first too (``evaluation.services.records.compute``).
"""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from org import selectors as org_selectors
from org.models import Agency

from . import services
from .models import RecurringAssignment


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def issue_recurring() -> int:
    """Issue this month's routine in every agency that has one; returns how many assignments were new."""
    today = org_selectors.today()
    agency_ids = (
        RecurringAssignment.objects.filter(active=True).values_list("agency_id", flat=True).distinct()
    )
    return sum(
        services.recurring_issue(agency=agency, month=today)
        for agency in Agency.objects.filter(pk__in=list(agency_ids))
    )
