"""How a monthly score is computed (Decree 335/2025, as summarised in SPEC.md). Pure functions.

Task results (Article 14) are three ratios over **one denominator**, chosen per agency
(``ScoringScheme.task_basis``; worked examples in docs/scoring.md):

- ``assigned`` (the default, the decree's reading): the standard minutes of the assignments due in the
  month (leaders' and the job position's routine) plus the own-initiative work the reviewer accepted by
  approving it. Approved work toward an assignment counts up to its workload; a month with nothing
  assigned has nothing to measure against and scores nothing on the three parts;
- ``capacity`` (Khánh Hòa's reading): 8 h a working day.

Over that denominator:

- quantity = quantity points × min(1, standard minutes delivered ÷ denominator);
- quality = quality points × min(1, minutes completed to standard ÷ denominator), where each major error
  the reviewer marked takes 25 % of its entry's standard minutes (four take all of them);
- progress = progress points × min(1, minutes completed on time ÷ denominator), each delay likewise; work
  logged after its assignment's due date is one delay by itself;
- an objective cause confirmed by a leader removes the entry's deductions;
- so a month with little approved work scores little on all three parts: one 30-minute entry in a
  22-day month gives 0,2 of the 70 points on the capacity basis and 0 on the assigned basis;
- a leader's task results have up to two more parts (docs/scoring.md, "Leaders"): the unit
  component, the unit points × 100 % when every rated member of the units they lead (a unit head's
  unit, a deputy's field, the whole agency for its head) at least completed their tasks, × 50 %
  otherwise; and the capacity to organise the work, the capacity points × the level the reviewer
  chose. Their personal task results fill what is left of the task points.

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

from .models import Rating, ScoringScheme

RATING_ORDER: list[str] = [Rating.NOT_COMPLETED, Rating.COMPLETED, Rating.GOOD, Rating.EXCELLENT]


@dataclass(frozen=True)
class EntryMarks:
    """What the score needs of one approved entry."""

    entry_id: int
    standard_minutes: Decimal
    major_errors: int = 0
    delays: int = 0
    exempt: bool = False
    # The assignment the entry counts toward (None: the person's own initiative), and whether it was
    # logged after the assignment's due date: one delay more, automatically.
    assignment_id: int | None = None
    late: bool = False

    @property
    def delays_counted(self) -> int:
        return min(self.delays + int(self.late), standards.MAX_MARKS)

    @property
    def errors_counted(self) -> int:
        return min(self.major_errors, standards.MAX_MARKS)


@dataclass(frozen=True)
class AssignedWork:
    """An assignment due in the period: its workload in standard minutes (products × frozen norm)."""

    assignment_id: int
    standard_minutes: Decimal


@dataclass(frozen=True)
class ProductResult:
    """How much of an assignment's workload the approved entries delivered (at most all of it)."""

    assignment_id: int
    expected_minutes: Decimal
    credited_minutes: Decimal

    @property
    def complete(self) -> bool:
        return self.credited_minutes >= self.expected_minutes


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
    basis: str
    working_days: int
    # Standard minutes counted as delivered: approved work toward the period's assignments (each at most
    # its workload) and the accepted own-initiative work; on the capacity basis, every approved minute.
    approved_minutes: Decimal
    # The one denominator of the three ratios (Article 14): the assigned workload (assignments due in the
    # period and the accepted own-initiative work), or the capacity (8 h a working day).
    expected_minutes: Decimal
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
    # For leaders of units only: the share of the unit (1 or 0.5) and the points it gives.
    unit_factor: Decimal | None
    unit: Decimal | None
    total: Decimal
    deductions: list[Deduction] = field(default_factory=list)
    assigned_minutes: Decimal = Decimal(0)
    own_initiative_minutes: Decimal = Decimal(0)
    products: list[ProductResult] = field(default_factory=list)
    # For leaders only: the level of their capacity to organise the work (0 to 1) and its points.
    capacity_ratio: Decimal | None = None
    capacity: Decimal | None = None
    # The task points the personal results are counted on (all of them but a leader's other parts).
    own_points: int = 0

    @property
    def personal_share(self) -> Decimal:
        """The personal results as counted in the total: on ``own_points`` of the task points."""
        return self.total - (self.unit or 0) - (self.capacity or 0)

    @property
    def nothing_assigned(self) -> bool:
        """On the assigned basis, a period with no assignment due: there is nothing to measure against."""
        return self.basis == ASSIGNED and not self.assigned_minutes


ASSIGNED, CAPACITY = "assigned", "capacity"


def _workload(
    basis: str, entries: list[EntryMarks], working_days: int, assigned: list[AssignedWork]
) -> tuple[Decimal, Decimal, Decimal, list[ProductResult]]:
    """(delivered, denominator, own-initiative minutes, products) of a period on ``basis``."""
    if basis == CAPACITY:
        delivered = sum((e.standard_minutes for e in entries), Decimal(0))
        return delivered, Decimal(standards.expected_minutes(working_days)), Decimal(0), []
    expected = {a.assignment_id: a.standard_minutes for a in assigned}
    toward: dict[int, Decimal] = dict.fromkeys(expected, Decimal(0))
    own = Decimal(0)
    for entry in entries:
        if entry.assignment_id in toward:
            toward[entry.assignment_id] += entry.standard_minutes
        else:
            own += entry.standard_minutes
    products = [ProductResult(pk, minutes, min(minutes, toward[pk])) for pk, minutes in expected.items()]
    assigned_minutes = sum(expected.values(), Decimal(0))
    if not assigned_minutes:
        return Decimal(0), Decimal(0), own, products
    delivered = sum((p.credited_minutes for p in products), Decimal(0)) + own
    return delivered, assigned_minutes + own, own, products


def task_result(
    scheme: ScoringScheme,
    entries: Iterable[EntryMarks],
    working_days: int,
    *,
    basis: str = CAPACITY,
    assigned: Iterable[AssignedWork] = (),
    unit_factor: Decimal | None = None,
    capacity_ratio: Decimal | None = None,
) -> TaskResult:
    """The task results of a period (Decree 335/2025 Article 14), all three parts over one denominator.

    The denominator is the assigned workload on the ``assigned`` basis: the standard minutes of the
    assignments due in the period plus the accepted own-initiative work (a period with nothing assigned
    has nothing to measure against and scores nothing); on the ``capacity`` basis it is 8 h a working
    day. Quantity is the standard minutes delivered (toward an assignment at most its workload), quality
    those completed to standard, progress those completed on time, each over the denominator and capped
    at 1: quality and progress are never given for free. A major error takes 25 % of its entry's minutes
    from quality, a delay 25 % from progress (four take all); work logged after its assignment's due date
    counts one delay by itself; an objective cause a leader confirmed removes the deductions.

    A leader's parts, when given: ``unit_factor`` (1 or 0.5, ``unit_factor``) of the scheme's unit
    points and ``capacity_ratio`` (0 to 1, the reviewer's level) of its capacity points; the personal
    results then fill the task points left (``own_points``), so the task results stay within them.
    """
    entries = list(entries)
    approved, expected, own, products = _workload(basis, entries, working_days, list(assigned))
    counted = [e for e in entries if basis == CAPACITY or expected]

    def points(weight: int, minutes: Decimal) -> Decimal:
        return Decimal(weight) * minutes / expected if expected else Decimal(0)

    lost_quality = lost_progress = Decimal(0)
    deductions = []
    for entry in counted:
        if not (entry.errors_counted or entry.delays_counted):
            continue
        quality_minutes = entry.standard_minutes * standards.DEDUCTION * entry.errors_counted
        progress_minutes = entry.standard_minutes * standards.DEDUCTION * entry.delays_counted
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
    unit = scheme.unit_points * unit_factor if unit_factor is not None else None
    capacity = scheme.capacity_points * capacity_ratio if capacity_ratio is not None else None
    own_points = scheme.task_points
    if unit is not None:
        own_points -= scheme.unit_points
    if capacity is not None:
        own_points -= scheme.capacity_points
    total = personal
    if own_points != scheme.task_points:
        personal_share = personal * own_points / scheme.task_points if scheme.task_points else Decimal(0)
        total = personal_share + (unit or 0) + (capacity or 0)
    return TaskResult(
        basis=basis,
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
        assigned_minutes=sum((a.expected_minutes for a in products), Decimal(0)),
        own_initiative_minutes=own,
        products=products,
        capacity_ratio=capacity_ratio,
        capacity=capacity,
        own_points=own_points,
    )


def unit_factor(member_ratings: Iterable[str]) -> Decimal:
    """100 % when every member at least completed their tasks, 50 % when any did not.

    Only the rated members count (an unrated one is no failure yet): with none rated the unit is at
    100 % provisionally, and the explained score says so.
    """
    if Rating.NOT_COMPLETED in set(member_ratings):
        return standards.UNIT_FACTOR_ANY_NOT_COMPLETED
    return standards.UNIT_FACTOR_ALL_COMPLETED


def general_score(scheme: ScoringScheme, points: Mapping[str, Decimal]) -> Decimal:
    """The general criteria's points: each criterion's points (by key) up to the agency's weight of it.

    ``points`` holds the criteria of the evaluation's version (docs/general-criteria.md); a criterion
    not scored counts 0.
    """
    return sum(
        (min(Decimal(given), Decimal(scheme.criterion_points(key))) for key, given in points.items()),
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
    capacity: Decimal | None
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
        capacity=standards.rounded(result.capacity) if result.capacity is not None else None,
        task=standards.rounded(result.total),
        general=standards.rounded(general),
        total=standards.rounded_score(exact),
        rating=rating_for(exact, disciplined=disciplined),
    )
