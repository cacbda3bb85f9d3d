"""Demo assignments (giao việc): STC measures task results on the work assigned (Decree 335/2025
Article 14, the default), SNV and SXD on their capacity (Khánh Hòa's reading), so the demo shows both.

STC's assignments are shaped from its diaries, as its unit heads would have given them: each month, each
person was assigned the products of each stage they then worked on, due on the month's last working day.
For about one assignment in eight the due date was earlier than the last of that work (it is late: a
delay each for the entries after it); each month a few people were assigned more than they delivered.
The common job position "Chuyên viên" has a monthly routine (reports, B.05) issued like the recurring
rule does, with a quantity most holders reach. Every entry of the work counts toward its assignment.
Rows are bulk-written once (no notifications for months long past); a second run adds nothing.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import ROUND_FLOOR, Decimal

from assignments.models import MAX_QUANTITY, Assignment, RecurringAssignment
from assignments.services import recurring_due_date
from catalog.models import StandardTask
from evaluation.models import ScoringScheme, TaskBasis
from kpi_portal import periods
from org.models import Agency, Membership, Role, User
from org.selectors import review_map
from worklog.models import DiaryEntry, EntryStatus

from .window import Window

SEED = 20261207
ASSIGNED = ("STC",)
LATE_RATE = 0.12
UNDER_DELIVERY_RATE = 0.06  # share of people assigned more than they delivered, each month
UNDER_DELIVERY = (Decimal("1.6"), Decimal("2.4"))
# (position, task code, share of holders who reach the routine's monthly quantity)
ROUTINES = [("Chuyên viên", "B.05", 0.8)]
SOURCES = ("Giao tại cuộc họp giao ban phòng", "Theo Phiếu chuyển văn bản đến", "Chỉ đạo của Giám đốc Sở")


def seed_assignments(*, window: Window) -> int:
    """Set each agency's basis and give STC's diaries their assignments; returns how many were made."""
    for agency in Agency.objects.order_by("code"):
        basis = TaskBasis.ASSIGNED if agency.code in ASSIGNED else TaskBasis.CAPACITY
        ScoringScheme.objects.update_or_create(agency=agency, defaults={"task_basis": basis})
    created = 0
    for agency in Agency.objects.filter(code__in=ASSIGNED):
        if not Assignment.objects.filter(agency=agency).exists():
            created += _seed_agency(agency, window)
    return created


def _seed_agency(agency: Agency, window: Window) -> int:
    leader = (
        User.objects.filter(role_assignments__role=Role.LEADER, role_assignments__agency=agency)
        .order_by("pk")
        .first()
    )
    if leader is None:
        return 0
    rng = random.Random(f"{SEED}-{agency.code}")
    entries = list(
        DiaryEntry.objects.filter(agency=agency, date__gte=window.start)
        .exclude(status=EntryStatus.RETURNED)
        .select_related("task", "stage")
        .only("person_id", "unit_id", "date", "quantity", "norm_minutes", "standard_minutes", "task", "stage")
        .prefetch_related("task__stages")
        .order_by("date", "pk")
    )
    positions = dict(
        User.objects.filter(
            pk__in=Membership.objects.filter(unit__agency=agency).values("person_id")
        ).values_list("pk", "position")
    )
    by_month: dict[datetime.date, list[DiaryEntry]] = defaultdict(list)
    for entry in entries:
        by_month[periods.month_start(entry.date)].append(entry)
    routines = _routines(agency, leader, window, by_month, positions)
    made: list[tuple[Assignment, list[DiaryEntry]]] = []
    for month, month_entries in sorted(by_month.items()):
        if not month_entries:
            continue
        made += _month(agency, month, month_entries, positions, routines, leader, rng)
    Assignment.objects.bulk_create([assignment for assignment, _work in made], batch_size=2000)
    for month in by_month:  # given at the start of their month (``auto_now_add`` stamped them now)
        Assignment.objects.filter(agency=agency, due_date__range=(month, periods.month_end(month))).update(
            assigned_at=datetime.datetime.combine(month, datetime.time(8), tzinfo=datetime.UTC)
        )
    # One UPDATE per assignment: far quicker than bulk_update's CASE over 25,000 rows.
    for assignment, work in made:
        DiaryEntry.objects.filter(pk__in=[entry.pk for entry in work]).update(assignment_id=assignment.pk)
    return len(made)


def _holds(positions: dict[int, str], person_id: int, position: str) -> bool:
    return positions.get(person_id, "").casefold() == position.casefold()


def _routines(agency, leader, window, by_month, positions) -> dict[str, RecurringAssignment]:
    """The routines by task code, set before the window began, each with a monthly quantity most of the
    position's holders reached."""
    found = {}
    for position, code, share in ROUTINES:
        products = []
        for month_entries in by_month.values():
            minutes: dict[int, Decimal] = defaultdict(Decimal)
            norm = 0
            for entry in month_entries:
                if entry.task.code == code and _holds(positions, entry.person_id, position):
                    minutes[entry.person_id] += entry.standard_minutes
                    norm = entry.task.total_minutes
            products += [total / norm for total in minutes.values()] if norm else []
        routine = RecurringAssignment.objects.create(
            agency=agency,
            position=position,
            task_code=code,
            quantity=_routine_quantity(products, share),
            note="Báo cáo định kỳ của chuyên viên",
            created_by=leader,
        )
        RecurringAssignment.objects.filter(pk=routine.pk).update(
            created_at=datetime.datetime.combine(window.start, datetime.time(8), tzinfo=datetime.UTC)
        )
        found[code] = routine
    return found


def _routine_quantity(products: list[Decimal], share: float) -> Decimal:
    """A quantity that about ``share`` of the holders reached (whole products, at least 1)."""
    ordered = sorted(products)
    reached = ordered[int(len(ordered) * (1 - share))] if ordered else Decimal(1)
    return max(Decimal(1), reached.to_integral_value(rounding=ROUND_FLOOR))


def _month(agency, month, entries, positions, routines, leader, rng):
    due = recurring_due_date(agency, month)
    reviewers = review_map(agency.pk, min(due, max(month, entries[-1].date)))
    # Whoever reviews a person assigns their work: the director's comes from the province reviewer.
    # Those nobody reviews (no province reviewer) are left out.
    entries = [e for e in entries if e.person_id in reviewers]
    groups: dict[tuple[int, int], list[DiaryEntry]] = defaultdict(list)
    routine_work: dict[tuple[str, int], list[DiaryEntry]] = defaultdict(list)
    for entry in entries:
        routine = routines.get(entry.task.code)
        if routine is not None and _holds(positions, entry.person_id, routine.position):
            routine_work[routine.task_code, entry.person_id].append(entry)
        else:
            groups[entry.person_id, entry.stage_id].append(entry)
    people = sorted({entry.person_id for entry in entries})
    short = set(rng.sample(people, max(1, round(len(people) * UNDER_DELIVERY_RATE))))
    made = []
    for (person_id, _stage_id), work in sorted(groups.items()):
        first = work[0]
        delivered = sum((e.standard_minutes for e in work), Decimal(0))
        quantity = sum((e.quantity for e in work), Decimal(0))
        factor = rng.uniform(*map(float, UNDER_DELIVERY)) if person_id in short else 1
        quantity = min(MAX_QUANTITY, (quantity * Decimal(str(factor))).quantize(Decimal("0.01")))
        deadline = due
        last = work[-1].date
        if rng.random() < LATE_RATE and last > month + datetime.timedelta(days=3):
            deadline = last - datetime.timedelta(days=rng.choice((1, 2, 3)))
        made.append(
            (
                Assignment(
                    agency=agency,
                    unit_id=first.unit_id,
                    person_id=person_id,
                    task=first.task,
                    stage=first.stage,
                    quantity=quantity,
                    norm_minutes=first.norm_minutes,
                    standard_minutes=(delivered * Decimal(str(factor))).quantize(Decimal("0.01")),
                    due_date=deadline,
                    source=rng.choice(SOURCES),
                    assigned_by_id=reviewers[person_id],
                ),
                work,
            )
        )
    for code, routine in routines.items():
        holders = {pid: work for (c, pid), work in routine_work.items() if c == code}
        if not holders:
            continue
        task: StandardTask = next(iter(holders.values()))[0].task
        norm = task.total_minutes
        quantity = routine.quantity
        for person_id, work in sorted(holders.items()):
            made.append(
                (
                    Assignment(
                        agency=agency,
                        unit_id=work[0].unit_id,
                        person_id=person_id,
                        task=task,
                        stage=None,
                        quantity=quantity,
                        norm_minutes=norm,
                        standard_minutes=norm * quantity,
                        due_date=due,
                        note=routine.note,
                        recurring=routine,
                        assigned_by_id=leader.pk,
                    ),
                    work,
                )
            )
    return made
