"""Reminders, run by Celery beat (schedules in the admin: Periodic tasks); a missed run is made up.

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
from org.models import Agency, Leave, Membership, User
from org.notifications import notify

from .models import DiaryEntry, EntryStatus, ReminderRun

STALE_AFTER_WORKING_DAYS = 2
# A reminder older than a week helps nobody: a longer outage is not made up further back.
CATCH_UP_WORKING_DAYS = 5


def _today(on: str | None) -> datetime.date:
    return datetime.date.fromisoformat(on) if on else org_selectors.today()


def days_to_remind(agency: Agency, today: datetime.date) -> list[datetime.date]:
    """The working days whose reminder is due today: the previous working day, and the days before it
    back to the last one done when a run was missed (at most ``CATCH_UP_WORKING_DAYS``)."""
    previous = calendar.previous_working_day(agency, today)
    last = ReminderRun.objects.filter(agency=agency, day__lte=previous).order_by("-day").first()
    if last is None:
        return [previous]  # the first run: no history to make up for
    days = [previous]
    while len(days) < CATCH_UP_WORKING_DAYS:
        earlier = calendar.previous_working_day(agency, days[-1])
        if earlier <= last.day:
            break
        days.append(earlier)
    return sorted(day for day in days if day > last.day)


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def remind_missing_entries(on: str | None = None) -> int:
    """On a working day, remind everyone who logged nothing on the previous working day.

    A run missed (beat or the broker down at 16:30) is made up the next time: the days since the
    last one done are reminded too. ``on`` (ISO date) is for tests and re-runs; beat leaves it
    empty (today).
    """
    today = _today(on)
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for agency in Agency.objects.all():
            if not calendar.is_working_day(agency, today):
                continue
            for day in days_to_remind(agency, today):
                sent += _remind_day(agency, day)
                ReminderRun.objects.get_or_create(agency=agency, day=day)
    return sent


def _remind_day(agency: Agency, day: datetime.date) -> int:
    sent = 0
    members = Membership.objects.active_on(day).filter(unit__agency=agency).values("person_id")
    logged = DiaryEntry.objects.filter(date=day, agency=agency).values("person_id")
    # Nobody on approved leave that day is reminded.
    on_leave = Leave.objects.filter(start__lte=day, end__gte=day).values("person_id")
    missing = (
        User.objects.filter(is_active=True, pk__in=members).exclude(pk__in=logged).exclude(pk__in=on_leave)
    )
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
    """Once a week, remind each reviewer of entries submitted more than two working days ago.

    Beat runs it every working morning; the key (reviewer and week) sends it on the first run of the
    week that finds stale entries, so a Monday missed during an outage is made up on Tuesday.
    """
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
