"""Beat tasks of the evaluation: reminders of the annual rating before the agency's deadline."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError
from django.utils import translation

from org import selectors as org_selectors

from .services.annual import annual_reminders


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3)
def remind_annual_ratings(on: str | None = None) -> int:
    """Every morning: in the week before an agency's deadline, remind reviewers of the people they have
    not proposed yet and leaders of the proposals not decided; once a day each."""
    today = datetime.date.fromisoformat(on) if on else org_selectors.today()
    with translation.override(settings.LANGUAGE_CODE):
        return annual_reminders(today)
