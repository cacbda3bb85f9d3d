"""How the audit trail shows the evaluations' values that need the database (``org.audit.describe``)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from kpi_portal.text import figure

from .models import GeneralCriterion


def criteria_points(value) -> str:
    """``{"conduct": "9.00", …}`` as "the criterion's name: 9,00; …"."""
    if not isinstance(value, dict):
        return str(value)
    names = dict(GeneralCriterion.objects.filter(key__in=list(value)).values_list("key", "name"))
    shown = []
    for key, points in value.items():
        try:
            text = figure(Decimal(str(points)))
        except InvalidOperation:
            text = str(points)
        shown.append(f"{names.get(key, key)}: {text}")
    return "; ".join(shown)
