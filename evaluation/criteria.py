"""The general criteria versions as migration 0006 seeds them, put back where a flush removed them.

A migrated database always has them. A database emptied after its migrations (``manage.py flush``,
the tests' transactional flushes and demo copy) has lost them, and no month can be evaluated
without its criteria; the demo and the tests call ``ensure_versions`` first. The migration's own seed
is the one source of the criteria's content (docs/general-criteria.md).
"""

from __future__ import annotations

import importlib

from django.apps import apps


def ensure_versions() -> None:
    """Seed the general criteria versions when there are none (idempotent)."""
    from .models import CriteriaVersion

    if CriteriaVersion.objects.exists():
        return
    seed = importlib.import_module("evaluation.migrations.0006_general_criteria_data")
    seed.seed_versions(apps, None)
