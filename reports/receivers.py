"""Computed months follow the organisation changes that alter them.

A working day added or removed (``CalendarOverride``) changes everyone's hours a day; a person joining,
leaving or moving (``Membership``) changes a headcount and a unit's totals. The lower app does not
know which months have figures, so the reports listen to its saves and deletes and mark the computed
months concerned (``org.figures``): the sweeper recomputes them, the dashboards say "being updated".
Both the row as it was and as it is now count (an override moved to another day, a person moved to
another agency).
"""

from __future__ import annotations

import datetime

from org.figures import AgencyMonth, months_changed
from org.models import CalendarOverride, Membership, Unit
from org.selectors import today

from .models import MonthRun

Span = tuple[int | None, datetime.date, datetime.date]  # agency (None: every agency), first and last day


def _spans(instance) -> list[Span]:
    if isinstance(instance, CalendarOverride):
        return [(instance.agency_id, instance.date, instance.date)]
    if isinstance(instance, Membership):
        agency_id = Unit.objects.filter(pk=instance.unit_id).values_list("agency_id", flat=True).first()
        return [(agency_id, instance.start, instance.end or max(today(), instance.start))]
    return []


def _computed(spans: list[Span]) -> set[AgencyMonth]:
    months: set[AgencyMonth] = set()
    for agency_id, first, last in spans:
        runs = MonthRun.objects.filter(month__range=(first.replace(day=1), last))
        if agency_id is not None:
            runs = runs.filter(agency_id=agency_id)
        months |= set(runs.values_list("agency_id", "month"))
    return months


def remember(sender, instance, raw=False, **kwargs) -> None:
    """pre_save: the row as it was, to mark its months too."""
    if raw or instance.pk is None:
        return
    before = sender.objects.filter(pk=instance.pk).first()
    instance._figure_spans_before = _spans(before) if before is not None else []


def mark(sender, instance, raw=False, **kwargs) -> None:
    """post_save and post_delete: mark the computed months of the row as it was and as it is."""
    if raw:
        return
    spans = getattr(instance, "_figure_spans_before", []) + _spans(instance)
    months_changed(_computed(spans))


def connect() -> None:
    from django.db.models.signals import post_delete, post_save, pre_save

    for model in (CalendarOverride, Membership):
        label = model._meta.label_lower
        pre_save.connect(remember, sender=model, dispatch_uid=f"reports.remember.{label}")
        post_save.connect(mark, sender=model, dispatch_uid=f"reports.mark.{label}")
        post_delete.connect(mark, sender=model, dispatch_uid=f"reports.mark_deleted.{label}")
