"""Nightly, after each import, and every minute for what a broker outage left: check the diary
again against the evidence (``services.recheck_request`` marks, ``services.recheck_due`` checks)."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError, transaction

from org.models import Agency


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def recheck_agency(agency_id: int) -> int | None:
    """The nudge after a request: check the agency now, unless another worker already did."""
    from .services import recheck_due

    return recheck_due(agency_id)


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def recheck_all() -> int:
    """Beat runs it every night: every agency is marked to be checked (one task each)."""
    from .services import recheck_request

    agencies = list(Agency.objects.values_list("pk", flat=True))
    with transaction.atomic():
        recheck_request(agencies)
    return len(agencies)


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def sweep_rechecks() -> int:
    """Beat runs it every minute: the checks asked for but not done (broker down, worker killed),
    and those of agencies not checked for a day (a nightly run that never came)."""
    from .services import recheck_due, rechecks_due

    done = 0
    for agency_id in rechecks_due():
        done += recheck_due(agency_id) is not None
    return done
