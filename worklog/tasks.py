"""Reminders, run by Celery beat (schedules in the admin: Periodic tasks).

Each reminder has a key (person and day, or reviewer and week): however many
workers run it and however often, a person gets it once.
"""

from __future__ import annotations

import datetime
from collections import Counter

from celery import shared_task
from django.conf import settings
from django.db import OperationalError
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from org import calendar
from org import selectors as org_selectors
from org.models import Agency, Membership, User
from org.notifications import notify

from .models import DiaryEntry, EntryStatus

STALE_AFTER_WORKING_DAYS = 2


def _today(on: str | None) -> datetime.date:
    return datetime.date.fromisoformat(on) if on else org_selectors.today()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def remind_missing_entries(on: str | None = None) -> int:
    """On a working day, remind everyone who logged nothing on the previous working day.

    ``on`` (ISO date) is for tests and re-runs; beat leaves it empty (today).
    """
    today = _today(on)
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for agency in Agency.objects.all():
            if not calendar.is_working_day(agency, today):
                continue
            day = calendar.previous_working_day(agency, today)
            members = Membership.objects.active_on(day).filter(unit__agency=agency).values("person_id")
            logged = DiaryEntry.objects.filter(date=day, agency=agency).values("person_id")
            missing = User.objects.filter(is_active=True, pk__in=members).exclude(pk__in=logged)
            for person in missing:
                sent += notify(
                    recipient=person,
                    key=f"missing-entry:{person.pk}:{day.isoformat()}",
                    title=_("You have not logged your work of %(day)s")
                    % {"day": date_format(day, "SHORT_DATE_FORMAT")},
                    body=_("Please fill in your work diary for %(day)s.")
                    % {"day": date_format(day, "SHORT_DATE_FORMAT")},
                    url=reverse("worklog:day", args=[day.isoformat()]),
                )
    return sent


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def remind_stale_approvals(on: str | None = None) -> int:
    """Once a week, remind each reviewer of entries submitted more than two working days ago."""
    today = _today(on)
    year, week, _weekday = today.isocalendar()
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for agency in Agency.objects.all():
            cutoff = calendar.working_days_back(agency, today, STALE_AFTER_WORKING_DAYS)
            waiting = (
                DiaryEntry.objects.filter(
                    agency=agency, status=EntryStatus.SUBMITTED, submitted_at__date__lt=cutoff
                )
                .values_list("person_id", "date")
                .distinct()
            )
            per_reviewer: Counter[int] = Counter()
            maps: dict[datetime.date, dict[int, int]] = {}
            for person_id, day in waiting:
                if day not in maps:
                    maps[day] = org_selectors.review_map(agency.pk, day)
                reviewer_id = maps[day].get(person_id)
                if reviewer_id is not None:
                    per_reviewer[reviewer_id] += 1
            for reviewer in User.objects.filter(pk__in=per_reviewer, is_active=True):
                sent += notify(
                    recipient=reviewer,
                    key=f"stale-approvals:{reviewer.pk}:{year}-W{week:02d}",
                    title=_("Diary days waiting for your review"),
                    body=_("%(count)s diary days of your staff have waited more than %(days)s working days.")
                    % {"count": per_reviewer[reviewer.pk], "days": STALE_AFTER_WORKING_DAYS},
                    url=reverse("review:queue"),
                )
    return sent
