"""How a monthly score is computed (Decree 335/2025, as summarised in SPEC.md). Pure functions.

Task results come from the month's approved diary entries, all three over **one denominator**, the
month's capacity (working days × 8 h: the capacity basis; the assigned-workload basis comes with
assignments):

- quantity = quantity points × min(1, approved standard minutes ÷ capacity);
- quality = quality points × min(1, minutes completed to standard ÷ capacity), where each major error
  the reviewer marked takes 25 % of its entry's standard minutes (four take all of them);
- progress = progress points × min(1, minutes completed on time ÷ capacity), each delay likewise;
- an objective cause confirmed by a leader removes the entry's deductions;
- so a month with little approved work scores little on all three parts: one 30-minute entry in a
  22-day month gives 0,2 of the 70 points, never full quality and progress points;
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
    """What an entry's marks cost, in points (or would have cost: the exempted part)."""

    entry_id: int
    quality: Decimal
    progress: Decimal
    exempted_quality: Decimal
    exempted_progress: Decimal

    @property
    def lost(self) -> Decimal:
        return self.quality + self.progress

    @property
    def exempted(self) -> Decimal:
        return self.exempted_quality + self.exempted_progress


@dataclass(frozen=True)
class TaskResult:
    working_days: int
    approved_minutes: Decimal
    # The one denominator of the three ratios (Article 14): the capacity of the month, 8 h a working day.
    expected_minutes: int
    quantity_ratio: Decimal
    quantity: Decimal
    # Approved standard minutes less a quarter of an entry's minutes per major error (quality) or per
    # delay (progress), at most four; the ratios are these over the same denominator, capped at 1.
    quality_minutes: Decimal
    quality_ratio: Decimal
    quality: Decimal
    progress_minutes: Decimal
    progress_ratio: Decimal
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
    """The task results of a month (Decree 335/2025 Article 14), all three parts over one denominator.

    Quantity is the approved standard minutes, quality those completed to standard, progress those
    completed on time, each over the month's capacity (working days × 8 h) and capped at 1. A month
    with little approved work scores little on all three: quality and progress are never given for
    free. A major error takes 25 % of its entry's minutes from quality, a delay 25 % from progress
    (four take all); an objective cause a leader confirmed removes the deduction.
    """
    entries = list(entries)
    approved = sum((e.standard_minutes for e in entries), Decimal(0))
    expected = standards.expected_minutes(working_days)

    def points(weight: int, minutes: Decimal) -> Decimal:
        return Decimal(weight) * minutes / expected if expected else Decimal(0)

    lost_quality = lost_progress = Decimal(0)
    deductions = []
    for entry in entries:
        if not (entry.major_errors or entry.delays):
            continue
        quality_minutes = entry.standard_minutes * standards.DEDUCTION * min(entry.major_errors, 4)
        progress_minutes = entry.standard_minutes * standards.DEDUCTION * min(entry.delays, 4)
        quality_points = points(scheme.quality_points, quality_minutes)
        progress_points = points(scheme.progress_points, progress_minutes)
        if entry.exempt:
            deductions.append(
                Deduction(entry.entry_id, Decimal(0), Decimal(0), quality_points, progress_points)
            )
            continue
        lost_quality += quality_minutes
        lost_progress += progress_minutes
        deductions.append(Deduction(entry.entry_id, quality_points, progress_points, Decimal(0), Decimal(0)))

    def ratio(minutes: Decimal) -> Decimal:
        return min(Decimal(1), max(minutes, Decimal(0)) / expected) if expected else Decimal(0)

    quality_minutes, progress_minutes = approved - lost_quality, approved - lost_progress
    quantity_ratio, quality_ratio, progress_ratio = (
        ratio(approved),
        ratio(quality_minutes),
        ratio(progress_minutes),
    )
    quantity = scheme.quantity_points * quantity_ratio
    quality = scheme.quality_points * quality_ratio
    progress = scheme.progress_points * progress_ratio
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
        quantity_ratio=quantity_ratio,
        quantity=quantity,
        quality_minutes=max(quality_minutes, Decimal(0)),
        quality_ratio=quality_ratio,
        quality=quality,
        progress_minutes=max(progress_minutes, Decimal(0)),
        progress_ratio=progress_ratio,
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
