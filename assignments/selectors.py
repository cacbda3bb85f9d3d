"""Reads of assignments: whom a user assigns to, which assignments a user sees, the catalog to assign from."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from catalog import selectors as catalog_selectors
from catalog.models import Stage, StandardTask
from org import selectors as org_selectors
from org.models import Agency, Membership, Role, User

from .models import Assignment, AssignmentStatus, RecurringAssignment

PAGE_SIZE = 25


def _led_agency_ids(user: User) -> set[int]:
    scope = org_selectors.access_scope(user)
    return {agency_id for agency_id, role in scope.agency_roles if role == Role.LEADER}


def assignable_people(user: User, on: datetime.date | None = None) -> QuerySet[User]:
    """Whom ``user`` assigns work to: those they review today, and the members of agencies they lead."""
    on = on or org_selectors.today()
    scope = org_selectors.access_scope(user, on)
    members = Membership.objects.active_on(on)
    q = Q(pk__in=scope.reviewee_ids)
    if scope.everything:
        q |= Q(pk__in=members.values("person_id"))
    else:
        led = Q(unit__agency_id__in=_led_agency_ids(user))
        led |= Q(unit__agency__province_id__in=[p for p, r in scope.province_roles if r == Role.LEADER])
        q |= Q(pk__in=members.filter(led).values("person_id"))
    return (
        User.objects.filter(q, is_active=True)
        .exclude(pk=user.pk)
        .prefetch_related(org_selectors.current_memberships_prefetch(on))
        .order_by("full_name", "username")
    )


def assigning_agency(user: User, on: datetime.date | None = None) -> Agency | None:
    """The agency whose catalog ``user`` assigns from: their own, else the first they lead."""
    on = on or org_selectors.today()
    membership = org_selectors.membership_on(user, on)
    if membership is not None:
        return membership.unit.agency
    return Agency.objects.filter(pk__in=_led_agency_ids(user)).order_by("code").first()


def work_choices(agency: Agency, on: datetime.date) -> list[tuple[str, list[tuple[str, str]]]]:
    """The catalog in force as choices: each task as a whole (``t<pk>``), then its stages (``s<pk>``)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    tasks = catalog_selectors.picker_tasks(agency, on).prefetch_related("stages")
    for task in tasks:
        options = groups.setdefault(task.get_group_display(), [])
        options.append((f"t{task.pk}", f"{task.code} · {task.name} ({task.total_minutes}′)"))
        options.extend(
            (f"s{stage.pk}", f"{task.code} · {stage.order}. {stage.name} ({stage.norm_minutes}′)")
            for stage in task.stages.all()
        )
    return list(groups.items())


def work_of(agency: Agency, on: datetime.date, value: str) -> tuple[StandardTask, Stage | None] | None:
    """The task (and stage) a ``work_choices`` value names, in the catalog in force; None when it is not."""
    if len(value) < 2 or value[0] not in "ts" or not value[1:].isdigit():
        return None
    tasks = catalog_selectors.tasks_in_force(agency, on).filter(active=True)
    if value[0] == "t":
        task = tasks.filter(pk=int(value[1:])).first()
        return (task, None) if task is not None else None
    stage = Stage.objects.filter(pk=int(value[1:]), task__in=tasks).select_related("task").first()
    return (stage.task, stage) if stage is not None else None


def mine(person: User) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(person=person)
        .select_related("task", "stage", "assigned_by")
        .order_by("-due_date", "-pk")
    )


def managed(user: User, *, person: User | None = None, status: str = "") -> QuerySet[Assignment]:
    """Assignments of the people ``user`` assigns to today, and those ``user`` made."""
    people = assignable_people(user).values("pk")
    found = Assignment.objects.filter(Q(person__in=people) | Q(assigned_by=user))
    if person is not None:
        found = found.filter(person=person)
    if status in AssignmentStatus.values:
        found = found.filter(status=status)
    # The latest given first: what the leader just assigned is at the top.
    return found.select_related("task", "stage", "person", "assigned_by").order_by("-assigned_at", "-pk")


def recurring_of(agency: Agency) -> QuerySet[RecurringAssignment]:
    return RecurringAssignment.objects.filter(agency=agency).select_related("created_by")


def positions_of(agency: Agency, on: datetime.date | None = None) -> list[str]:
    """The job positions held in the agency today (for the routine form's suggestions)."""
    on = on or org_selectors.today()
    return sorted(
        set(
            User.objects.filter(
                pk__in=Membership.objects.active_on(on).filter(unit__agency=agency).values("person_id")
            )
            .exclude(position="")
            .values_list("position", flat=True)
        )
    )
