"""How a monthly score is computed (Decree 335/2025, as summarised in SPEC.md). Pure functions.

Task results come from the month's approved diary entries:

- quantity = quantity points × min(1, approved standard minutes ÷ (working days × 8 h));
- quality: each entry carries a share of the quality points in proportion to its
  standard minutes; each major error the reviewer marked takes 25 % of that share;
- progress: likewise, each delay takes 25 % of the entry's share of the progress points;
- an objective cause confirmed by a leader removes the entry's deductions;
- a unit head's personal task results fill (task points − unit points), and the unit
  component adds the unit points × 100 % when every member at least completed their
  tasks, × 50 % otherwise.

General criteria are scored by hand, each up to its weight. Nothing here rounds:
the parts, the total and the averages stay exact and the rating is decided on them
(89,9967 is "good"); a figure is rounded only when shown or stored
(``standards.rounded``, and ``standards.rounded_score`` for a score, toward its
rating: see ``stored_score``). The norm, the 25 % deductions, the unit factors,
the rating thresholds and the rounding come from ``kpi_portal.standards``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from kpi_portal import standards

from .models import Criterion, Rating, ScoringScheme

RATING_ORDER: list[str] = [Rating.NOT_COMPLETED, Rating.COMPLETED, Rating.GOOD, Rating.EXCELLENT]


@dataclass(frozen=True)
class EntryMarks:
    """What the score needs of one approved entry."""

    entry_id: int
    standard_minutes: Decimal
    major_errors: int = 0
    delays: int = 0
    exempt: bool = False


@dataclass(frozen=True)
class Deduction:
    entry_id: int
    quality: Decimal
    progress: Decimal
    exempted_quality: Decimal
    exempted_progress: Decimal


@dataclass(frozen=True)
class TaskResult:
    working_days: int
    approved_minutes: Decimal
    expected_minutes: int
    quantity_ratio: Decimal
    quantity: Decimal
    quality: Decimal
    progress: Decimal
    personal: Decimal
    # For unit heads only: the share of the unit (1 or 0.5) and the points it gives.
    unit_factor: Decimal | None
    unit: Decimal | None
    total: Decimal
    deductions: list[Deduction] = field(default_factory=list)


def task_result(
    scheme: ScoringScheme,
    entries: Iterable[EntryMarks],
    working_days: int,
    *,
    unit_factor: Decimal | None = None,
) -> TaskResult:
    entries = list(entries)
    approved = sum((e.standard_minutes for e in entries), Decimal(0))
    expected = standards.expected_minutes(working_days)
    ratio = min(Decimal(1), approved / expected) if expected else Decimal(0)
    quantity = Decimal(scheme.quantity_points) * ratio

    quality = Decimal(scheme.quality_points) if approved else Decimal(0)
    progress = Decimal(scheme.progress_points) if approved else Decimal(0)
    deductions = []
    for entry in entries:
        if not (entry.major_errors or entry.delays) or not approved:
            continue
        share = entry.standard_minutes / approved
        lost_quality = scheme.quality_points * share * standards.DEDUCTION * min(entry.major_errors, 4)
        lost_progress = scheme.progress_points * share * standards.DEDUCTION * min(entry.delays, 4)
        if entry.exempt:
            deductions.append(Deduction(entry.entry_id, Decimal(0), Decimal(0), lost_quality, lost_progress))
            continue
        quality -= lost_quality
        progress -= lost_progress
        deductions.append(Deduction(entry.entry_id, lost_quality, lost_progress, Decimal(0), Decimal(0)))

    zero = Decimal(0)
    quality, progress = max(quality, zero), max(progress, zero)
    personal = quantity + quality + progress
    unit = None
    total = personal
    if unit_factor is not None:
        own_points = scheme.task_points - scheme.unit_points
        personal_share = personal * own_points / scheme.task_points if scheme.task_points else Decimal(0)
        unit = scheme.unit_points * unit_factor
        total = personal_share + unit
    return TaskResult(
        working_days=working_days,
        approved_minutes=approved,
        expected_minutes=expected,
        quantity_ratio=ratio,
        quantity=quantity,
        quality=quality,
        progress=progress,
        personal=personal,
        unit_factor=unit_factor,
        unit=unit,
        total=total,
        deductions=deductions,
    )


def unit_factor(member_ratings: Iterable[str]) -> Decimal:
    """100 % when every member at least completed their tasks, 50 % when any did not."""
    if Rating.NOT_COMPLETED in set(member_ratings):
        return standards.UNIT_FACTOR_ANY_NOT_COMPLETED
    return standards.UNIT_FACTOR_ALL_COMPLETED


def general_score(scheme: ScoringScheme, points: Mapping[str, Decimal]) -> Decimal:
    return sum(
        (min(Decimal(points.get(c, 0)), Decimal(scheme.criterion_points(c))) for c in Criterion.values),
        Decimal(0),
    )


def rating_for(score: Decimal, *, disciplined: bool = False) -> Rating:
    """The rating of a score; "not completed" whatever the score after a disciplinary measure."""
    return Rating(standards.rating_for(score, disciplined=disciplined))


def excellent_allowed(good_count: int, percent: int) -> int:
    """How many may be rated excellent when ``good_count`` are rated good (rounded down)."""
    return good_count * percent // 100


def average(scores: Iterable[Decimal]) -> Decimal | None:
    """The exact average of a period's scores (rated as it is; rounded only when shown)."""
    scores = list(scores)
    if not scores:
        return None
    return sum(scores, Decimal(0)) / len(scores)


@dataclass(frozen=True)
class StoredScore:
    """The figures an evaluation stores (two decimals) and the rating decided on the exact total."""

    quantity: Decimal
    quality: Decimal
    progress: Decimal
    unit: Decimal | None
    task: Decimal
    general: Decimal
    total: Decimal
    rating: Rating


def stored_score(result: TaskResult, general: Decimal, *, disciplined: bool) -> StoredScore:
    """Round a computed score for storing, once the rating is decided on the exact total.

    Each part is rounded half up, the total toward its rating (``standards.rounded_score``), so the
    stored score never contradicts the stored rating; the shown parts may differ from the shown total
    by 0,01, since the total is the sum of the exact parts.
    """
    exact = result.total + general
    return StoredScore(
        quantity=standards.rounded(result.quantity),
        quality=standards.rounded(result.quality),
        progress=standards.rounded(result.progress),
        unit=standards.rounded(result.unit) if result.unit is not None else None,
        task=standards.rounded(result.total),
        general=standards.rounded(general),
        total=standards.rounded_score(exact),
        rating=rating_for(exact, disciplined=disciplined),
    )
