"""How much recorded work uses a stage, asked by the catalog of the apps that record work.

The catalog sits below the diary on the ladder, so it cannot count diary entries itself:
``worklog`` registers a counter when it starts (``register``) and the catalog asks every
registered counter (``stage_usage``) before it removes a stage or previews a publication.
A stage is named across versions by its task's code and its order, as every version
numbers it; counts cover all versions of the agency.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Collection

from org.models import Agency, Province

StageKey = tuple[str, int]
UsageCounter = Callable[[Agency | Province, Collection[StageKey], datetime.date | None], dict[StageKey, int]]

_counters: dict[str, UsageCounter] = {}


def register(name: str, counter: UsageCounter) -> None:
    """Count uses of stages under ``name`` (registering the same name again replaces it)."""
    _counters[name] = counter


def stage_usage(
    agency: Agency | Province, keys: Collection[StageKey], *, since: datetime.date | None = None
) -> dict[StageKey, int]:
    """Uses of each stage in ``keys`` (on or after ``since`` when given), 0 for unused ones."""
    total: Counter[StageKey] = Counter(dict.fromkeys(keys, 0))
    if keys:
        for counter in _counters.values():
            total.update(counter(agency, keys, since))
    return dict(total)
