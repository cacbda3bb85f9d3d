"""Where the apps above the diary add to its pages without the diary importing them.

An app registers in its ``AppConfig.ready``: a prefetch for the entries of the day page
(e.g. the evidence's open flags) and a template included under each entry; and a section of
the day page (``add_day_section``, e.g. the evidence's suggestions), which the day panel renders
with ``{% load diary_extensions %}{% day_sections %}``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest

from org.models import Agency

_entry_prefetches: dict[str, Callable[[], Prefetch]] = {}
_entry_templates: dict[str, str] = {}


def add_entry_detail(
    name: str, *, prefetch: Callable[[], Prefetch] | None = None, template: str = ""
) -> None:
    """Register what an app shows under each diary entry of the day page (idempotent by ``name``)."""
    if prefetch is not None:
        _entry_prefetches[name] = prefetch
    if template:
        _entry_templates[name] = template


def entry_prefetches() -> list[Prefetch]:
    return [make() for make in _entry_prefetches.values()]


def entry_templates() -> list[str]:
    return list(_entry_templates.values())


# Day suggestions: sections an app above the diary offers on the day page (evidence: "Gợi ý từ E-Office").


@dataclass(frozen=True)
class DaySection:
    """A section of the day page: a template rendered with the page's context plus ``context``."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 0


# (request, the day, the person's agency on it or None, whether the day is open to logging)
# → a section, or None.
DaySectionProvider = Callable[[HttpRequest, datetime.date, Agency | None, bool], DaySection | None]

_day_sections: dict[str, DaySectionProvider] = {}


def add_day_section(name: str, provider: DaySectionProvider) -> None:
    """Register a section of the day page (idempotent by ``name``); rendered by ``{% day_sections %}``."""
    _day_sections[name] = provider


def day_sections(
    request: HttpRequest, day: datetime.date, agency: Agency | None, is_open: bool
) -> list[DaySection]:
    found = [provider(request, day, agency, is_open) for provider in _day_sections.values()]
    return sorted((s for s in found if s is not None), key=lambda s: s.order)
