"""Where the apps above the diary add to its pages without the diary importing them.

An app registers in its ``AppConfig.ready``: a prefetch for the entries of the day page
(e.g. the evidence's open flags) and a template included under each entry.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Prefetch

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
