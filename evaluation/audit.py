"""How the audit trail shows the evaluations' values that need the database (``org.audit.describe``)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.db.models.signals import post_delete, post_save

from kpi_portal.text import figure

from .models import GeneralCriterion


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Every general criterion's name by key (a handful of rows, read once, not once per event)."""
    return dict(GeneralCriterion.objects.values_list("key", "name"))


def _forget(**kwargs) -> None:
    _names.cache_clear()


post_save.connect(_forget, sender=GeneralCriterion, dispatch_uid="evaluation.audit.names")
post_delete.connect(_forget, sender=GeneralCriterion, dispatch_uid="evaluation.audit.names.delete")


def criteria_points(value) -> str:
    """``{"conduct": "9.00", …}`` as "the criterion's name: 9,00; …"."""
    if not isinstance(value, dict):
        return str(value)
    names = _names()
    shown = []
    for key, points in value.items():
        try:
            text = figure(Decimal(str(points)))
        except InvalidOperation:
            text = str(points)
        shown.append(f"{names.get(key, key)}: {text}")
    return "; ".join(shown)
