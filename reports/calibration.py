"""Norm calibration: what the people's own estimates say of each stage's norm (docs/norm-calibration.md).

A norm (minutes per unit of output of a stage) is a guess until measured. Each approved diary entry
that carries the person's own estimate says how long one unit took in their view: estimate ÷ quantity.
Per stage, over a period, the median of those per-unit figures (one per entry), with its spread, the
number of products, entries and people, is set against the norm in force. A stage is proposed for
a new norm when its median is more than ``THRESHOLD_SHARE`` away from the norm, on enough data.

A stage is the same stage across catalog versions when its task's code and its order are: that is how
``catalog.services.stage_norm_set`` finds it again in the draft.

On PostgreSQL one aggregate query computes everything (``percentile_cont``); elsewhere (SQLite, the
demo of ``make run``) the per-unit figures are read in one bounded query and the quantiles computed
here, by the same rule (linear interpolation between the closest ranks).
"""

from __future__ import annotations

import datetime
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Aggregate, Count, F, FloatField, Max, Min, QuerySet, Sum
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from catalog import selectors as catalog_selectors
from catalog.models import MAX_NORM_MINUTES, Stage
from kpi_portal import periods
from kpi_portal.text import figure
from org.models import Agency
from worklog.models import DiaryEntry, EntryStatus

# Proposal thresholds (the brief of issue 17 suggests 25 %, 30 products, 5 people). Candidates for
# ``kpi_portal.standards`` once the agencies want them configurable.
THRESHOLD_SHARE = Decimal("0.25")  # the median differs from the norm by more than this share of it
MIN_PRODUCTS = Decimal("30")  # at least this many units of output (sum of the quantities)
MIN_PEOPLE = 5  # from at least this many different people
DEFAULT_MONTHS = 3  # the default period: the last three full months
MAX_MONTHS = 24  # the longest period one may ask for
# The SQLite path reads one row per entry; beyond this it refuses rather than exhaust the server.
PYTHON_ROWS_LIMIT = 300_000

QUARTILES = (0.25, 0.5, 0.75)
_PLACES = Decimal("0.0001")


class PercentileCont(Aggregate):
    """PostgreSQL's ``percentile_cont(f) WITHIN GROUP (ORDER BY expr)``: the interpolated quantile."""

    function = "PERCENTILE_CONT"
    name = "PercentileCont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, fraction: float, **extra: Any) -> None:
        # A constant of this module, never user input: written into the SQL as a number.
        super().__init__(expression, fraction=repr(float(fraction)), **extra)


# Periods ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @property
    def label(self) -> str:
        """``01/09–30/11/2026`` (the year once when both ends share it)."""
        if self.start.year == self.end.year:
            return f"{self.start:%d/%m}–{self.end:%d/%m/%Y}"
        return f"{self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"


def default_period(today: datetime.date) -> Period:
    """The last ``DEFAULT_MONTHS`` full months before the month of ``today``."""
    first = periods.add_months(periods.month_start(today), -DEFAULT_MONTHS)
    return Period(first, periods.month_start(today) - datetime.timedelta(days=1))


_MONTH = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{4})")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_DAY = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")


def parse_bound(value: str, *, end: bool) -> datetime.date:
    """A period's bound as people type it: ``09/2026`` or ``2026-09`` (a month: its first day, or its
    last for the end) or ``15/09/2026`` (that day). ``ValidationError`` with a message otherwise."""
    text = (value or "").strip()
    try:
        if match := _DAY.fullmatch(text):
            day, month, year = (int(g) for g in match.groups())
            return datetime.date(year, month, day)
        if (match := _MONTH.fullmatch(text)) or (match := _ISO_MONTH.fullmatch(text)):
            groups = [int(g) for g in match.groups()]
            year, month = (groups[1], groups[0]) if match.re is _MONTH else (groups[0], groups[1])
            first, last = periods.month_bounds(year, month)
            return last if end else first
    except ValueError:
        raise ValidationError(
            _("“%(value)s” is not a real date or month.") % {"value": text}, code="invalid"
        ) from None
    raise ValidationError(
        _("Write a month as mm/yyyy (for example 09/2026) or a day as dd/mm/yyyy."), code="invalid"
    )


def check_period(start: datetime.date, end: datetime.date, today: datetime.date) -> Period:
    """A period one may ask for: in order, not in the future, at most ``MAX_MONTHS`` months long."""
    if start > end:
        raise ValidationError(_("The period cannot start after it ends."), code="order")
    if start > today:
        raise ValidationError(_("The period cannot start in the future."), code="future")
    if start.year < 2000:
        raise ValidationError(_("The period cannot start before 2000."), code="too_old")
    if periods.add_months(periods.month_start(start), MAX_MONTHS) <= end:
        raise ValidationError(
            _("Choose a period of at most %(count)s months.") % {"count": MAX_MONTHS}, code="too_long"
        )
    return Period(start, min(end, today))


# Figures ------------------------------------------------------------------------------------------


@dataclass
class StageFigures:
    """One stage's figures over a period, against its norm."""

    task_code: str
    order: int
    task_name: str
    stage_name: str
    output_unit: str
    entries: int
    products: Decimal
    people: int
    median: Decimal  # minutes per unit of output
    p25: Decimal
    p75: Decimal
    minimum: Decimal
    maximum: Decimal
    norm: int | None = None  # in the version in force; None when that version has no such stage
    draft_norm: int | None = None  # in the open draft, when there is one holding the stage

    @property
    def key(self) -> tuple[str, int]:
        return (self.task_code, self.order)

    @property
    def difference(self) -> Decimal | None:
        """How far the median is from the norm, in % of the norm (positive: takes longer)."""
        if not self.norm:
            return None
        return (self.median - self.norm) / self.norm * 100

    @property
    def enough_data(self) -> bool:
        return self.products >= MIN_PRODUCTS and self.people >= MIN_PEOPLE

    @property
    def is_proposal(self) -> bool:
        difference = self.difference
        return (
            difference is not None
            and self.enough_data
            and abs(difference) > THRESHOLD_SHARE * 100
            and self.proposed_norm != self.norm
        )

    @property
    def proposed_norm(self) -> int:
        """The median in whole minutes (half up), within the bounds of a norm."""
        minutes = int(self.median.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        return min(max(minutes, 1), MAX_NORM_MINUTES)

    @property
    def accepted(self) -> bool:
        """The draft already holds the proposed norm."""
        return self.draft_norm is not None and self.draft_norm == self.proposed_norm


def approved_estimates(agency: Agency, period: Period) -> QuerySet[DiaryEntry]:
    """The entries calibration reads: approved, with an own estimate and a quantity, in the period."""
    return DiaryEntry.objects.filter(
        agency=agency,
        status=EntryStatus.APPROVED,
        estimate_minutes__isnull=False,
        quantity__gt=0,
        date__gte=period.start,
        date__lte=period.end,
    )


def _per_unit() -> Any:
    return Cast(F("estimate_minutes"), FloatField()) / Cast(F("quantity"), FloatField())


def _decimal(value: float | Decimal | int) -> Decimal:
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return exact.quantize(_PLACES, rounding=ROUND_HALF_UP)


def _sql_figures(entries: QuerySet[DiaryEntry]) -> list[StageFigures]:
    rows = (
        entries.values("task__code", "stage__order")
        .annotate(
            entries=Count("pk"),
            products=Sum("quantity"),
            people=Count("person", distinct=True),
            p25=PercentileCont(_per_unit(), QUARTILES[0]),
            median=PercentileCont(_per_unit(), QUARTILES[1]),
            p75=PercentileCont(_per_unit(), QUARTILES[2]),
            minimum=Min(_per_unit()),
            maximum=Max(_per_unit()),
            task_name=Max("task__name"),
            stage_name=Max("stage__name"),
            output_unit=Max("task__output_unit"),
        )
        .order_by()
    )
    return [
        StageFigures(
            task_code=row["task__code"],
            order=row["stage__order"],
            task_name=row["task_name"],
            stage_name=row["stage_name"],
            output_unit=row["output_unit"],
            entries=row["entries"],
            products=row["products"],
            people=row["people"],
            median=_decimal(row["median"]),
            p25=_decimal(row["p25"]),
            p75=_decimal(row["p75"]),
            minimum=_decimal(row["minimum"]),
            maximum=_decimal(row["maximum"]),
        )
        for row in rows
    ]


def percentile(ordered: list[float], fraction: float) -> float:
    """The quantile ``percentile_cont`` computes: linear interpolation between the closest ranks."""
    position = fraction * (len(ordered) - 1)
    low = math.floor(position)
    high = math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


class TooManyEntries(Exception):
    """The period holds more entries than the Python path reads (``PYTHON_ROWS_LIMIT``)."""


def _python_figures(entries: QuerySet[DiaryEntry]) -> list[StageFigures]:
    rows = list(
        entries.values_list(
            "task__code",
            "stage__order",
            "person_id",
            "quantity",
            "estimate_minutes",
            "task__name",
            "stage__name",
            "task__output_unit",
        ).order_by()[: PYTHON_ROWS_LIMIT + 1]
    )
    if len(rows) > PYTHON_ROWS_LIMIT:
        raise TooManyEntries
    groups: dict[tuple[str, int], list[tuple]] = defaultdict(list)
    for row in rows:
        groups[(row[0], row[1])].append(row)
    result = []
    for (code, order), group in groups.items():
        values = sorted(float(estimate) / float(quantity) for _c, _o, _p, quantity, estimate, *_n in group)
        result.append(
            StageFigures(
                task_code=code,
                order=order,
                task_name=max(row[5] for row in group),
                stage_name=max(row[6] for row in group),
                output_unit=max(row[7] for row in group),
                entries=len(group),
                products=sum((row[3] for row in group), Decimal(0)),
                people=len({row[2] for row in group}),
                p25=_decimal(percentile(values, QUARTILES[0])),
                median=_decimal(percentile(values, QUARTILES[1])),
                p75=_decimal(percentile(values, QUARTILES[2])),
                minimum=_decimal(values[0]),
                maximum=_decimal(values[-1]),
            )
        )
    return result


def stage_figures(
    agency: Agency,
    period: Period,
    *,
    today: datetime.date,
    stage: tuple[str, int] | None = None,
    use_sql: bool | None = None,
) -> list[StageFigures]:
    """Every stage's figures over ``period`` (or only ``stage``: task code, order), with the norms.

    The norm is that of the catalog version in force on ``today`` (the first published one while
    none is in force yet) and, beside it, that of the open draft. Four queries at most.
    ``use_sql`` forces one path (tests compare them); by default PostgreSQL aggregates in SQL.
    """
    entries = approved_estimates(agency, period)
    if stage is not None:
        entries = entries.filter(task__code=stage[0], stage__order=stage[1])
    if use_sql is None:
        use_sql = connection.vendor == "postgresql"
    figures = _sql_figures(entries) if use_sql else _python_figures(entries)
    if not figures:
        return []
    in_force = catalog_selectors.current_version(agency, today)
    draft = catalog_selectors.draft_of(agency)
    versions = [v.pk for v in (in_force, draft) if v is not None]
    norms: dict[tuple[int, str, int], Stage] = {}
    if versions:
        stages = Stage.objects.filter(task__version_id__in=versions).select_related("task")
        if stage is not None:
            stages = stages.filter(task__code=stage[0], order=stage[1])
        norms = {(s.task.version_id, s.task.code, s.order): s for s in stages}
    for item in figures:
        if in_force is not None and (current := norms.get((in_force.pk, *item.key))) is not None:
            item.norm = current.norm_minutes
            item.task_name, item.stage_name = current.task.name, current.name
            item.output_unit = current.task.output_unit
        if draft is not None and (drafted := norms.get((draft.pk, *item.key))) is not None:
            item.draft_norm = drafted.norm_minutes
    figures.sort(key=lambda f: (code_key(f.task_code), f.order))
    return figures


def code_key(code: str) -> tuple:
    """``C.2`` before ``C.10``: numbers inside a code compare as numbers."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code))


def split(figures: list[StageFigures]) -> tuple[list[StageFigures], list[StageFigures]]:
    """The proposals (furthest from their norm first), then the rest in catalog order."""
    proposals = [f for f in figures if f.is_proposal]
    proposals.sort(key=lambda f: -abs(f.difference or Decimal(0)))
    return proposals, [f for f in figures if not f.is_proposal]


def per_unit_values(agency: Agency, period: Period, stage: tuple[str, int]) -> list[float]:
    """Each entry's estimate per unit of output for one stage, in minutes (one query)."""
    entries = approved_estimates(agency, period).filter(task__code=stage[0], stage__order=stage[1])
    rows = entries.values_list("estimate_minutes", "quantity").order_by()[:PYTHON_ROWS_LIMIT]
    return sorted(float(estimate or 0) / float(quantity) for estimate, quantity in rows)


# The evidence written into the history ---------------------------------------------------------


def reason(item: StageFigures, period: Period) -> str:
    """The change reason recorded in the history: the evidence, in the active language (the stage's
    history keeps reasons of any length)."""
    values = {
        "period": period.label,
        "median": figure(item.median),
        "products": figure(item.products),
        "people": item.people,
        "norm": item.norm,
    }
    return (
        _(
            "Norm calibrated from the data of %(period)s: median %(median)s minutes per unit, "
            "%(products)s units, %(people)s people (old norm %(norm)s)"
        )
        % values
    )
