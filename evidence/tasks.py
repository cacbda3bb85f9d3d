"""Nightly, and after each import: check the diary again against the evidence."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from kpi_portal.tasks import enqueue
from org.models import Agency


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def recheck_agency(agency_id: int) -> int:
    from .services import recheck_agency as recheck

    return recheck(Agency.objects.get(pk=agency_id))


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def recheck_all() -> int:
    """Beat runs it every night: one job per agency."""
    agencies = list(Agency.objects.values_list("pk", flat=True))
    for agency_id in agencies:
        enqueue(recheck_agency, agency_id)
    return len(agencies)
