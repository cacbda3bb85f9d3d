"""Who is scored as a leader in a month, and on whom: the one place the scoring and the explained score
read it (docs/scoring.md, "Leaders").

Decree 335/2025 scores a leader's task results also on the results of what they lead (the unit
component) and on their capacity to organise the work. What they lead, on the month's reference day:

- a unit head: the unit's other members;
- the agency head (the head of the leadership board): everyone else in the agency, every unit;
- a deputy director (another member of the leadership board): the members of the units of their field
  (``org.Supervision``); a deputy with no field yet has no unit component, only the capacity part.

Only the rated members count in the unit component (``scoring.unit_factor``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from org.models import Membership, Unit, User
from org.supervision import supervised_unit_ids

from . import scoring
from .models import MonthlyEvaluation
from .selectors import reference_day

UNIT_HEAD, AGENCY_HEAD, DEPUTY = "unit_head", "agency_head", "deputy"
KIND_LABELS = {
    UNIT_HEAD: _("unit head"),
    AGENCY_HEAD: _("head of the agency"),
    DEPUTY: _("deputy head of the agency"),
}
# Bulk finalising takes members before whoever leads them: unit heads, then deputies, then the head.
FINALISE_RANK = {None: 0, UNIT_HEAD: 1, DEPUTY: 2, AGENCY_HEAD: 3}


def leader_kind(evaluation: MonthlyEvaluation) -> str | None:
    """The kind of leader the evaluation's person was in the month (no query: its unit is loaded)."""
    on_board = evaluation.unit.parent_id is None
    if evaluation.is_unit_head:
        return AGENCY_HEAD if on_board else UNIT_HEAD
    return DEPUTY if on_board else None


@dataclass(frozen=True)
class LeaderScope:
    """A leader's month: the units they lead and those units' members with their evaluations."""

    kind: str
    units: list[Unit]
    members: list[tuple[User, MonthlyEvaluation | None]]

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def has_unit_component(self) -> bool:
        return self.kind != DEPUTY or bool(self.units)

    @property
    def ratings(self) -> list[str]:
        return [e.rating for _m, e in self.members if e is not None and e.rating]

    @property
    def unrated(self) -> int:
        return sum(1 for _m, e in self.members if not (e is not None and e.rating))

    @property
    def factor(self) -> Decimal | None:
        """The unit component's share (1 or 0.5) from the rated members; None without a unit component."""
        return scoring.unit_factor(self.ratings) if self.has_unit_component else None

    def not_final(self) -> list[User]:
        """The members whose month is not final yet (their rating could still change the leader's)."""
        return [m for m, e in self.members if e is None or not e.is_final]


def leader_scope(evaluation: MonthlyEvaluation) -> LeaderScope | None:
    """The evaluation's leader scope, or None when the person led nothing in the month. Three queries."""
    kind = leader_kind(evaluation)
    if kind is None:
        return None
    on = reference_day(evaluation.month)
    if kind == UNIT_HEAD:
        unit_ids = [evaluation.unit_id]
    elif kind == AGENCY_HEAD:
        unit_ids = list(Unit.objects.filter(agency_id=evaluation.agency_id).values_list("pk", flat=True))
    else:
        unit_ids = supervised_unit_ids(evaluation.person_id, on)
    units = list(Unit.objects.filter(pk__in=unit_ids).order_by("code")) if unit_ids else []
    people = (
        list(
            User.objects.filter(
                pk__in=Membership.objects.active_on(on).filter(unit_id__in=unit_ids).values("person_id")
            )
            .exclude(pk=evaluation.person_id)
            .order_by("full_name")
        )
        if unit_ids
        else []
    )
    found = {
        e.person_id: e for e in MonthlyEvaluation.objects.filter(person__in=people, month=evaluation.month)
    }
    return LeaderScope(kind, units, [(p, found.get(p.pk)) for p in people])


def unit_factor_of(evaluation: MonthlyEvaluation) -> tuple[LeaderScope | None, Decimal | None]:
    """The leader scope and the unit component's share the score and the explained score both use."""
    scope = leader_scope(evaluation)
    return scope, (scope.factor if scope is not None else None)


def capacity_ratio_of(evaluation: MonthlyEvaluation, scope: LeaderScope | None) -> Decimal | None:
    """A leader's capacity level as a ratio (0 until the reviewer chose one); None for anyone else."""
    if scope is None:
        return None
    return Decimal(evaluation.capacity_percent or 0) / 100
