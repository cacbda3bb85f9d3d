"""Writes of assignments: assign (to several people at once), change, cancel, and the recurring routine.

Every rule lives here with its message; nothing is saved when one is broken (all people or none). Each
write is audited and the assignee is notified.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from catalog import selectors as catalog_selectors
from catalog.models import Stage, StandardTask
from kpi_portal import periods
from kpi_portal.history import set_history_user
from kpi_portal.text import REASON_MAX, conflict, figure, required_text, short_date
from org import calendar
from org import selectors as org_selectors
from org.audit import record
from org.models import Agency, Membership, User
from org.notifications import notify

from .models import MAX_QUANTITY, NOTE_MAX, SOURCE_MAX, Assignment, AssignmentStatus, RecurringAssignment


@dataclass(frozen=True)
class AssignmentInput:
    task: StandardTask
    stage: Stage | None
    quantity: Decimal
    due_date: datetime.date
    note: str = ""
    source: str = ""


def norm_of(task: StandardTask, stage: Stage | None) -> int:
    """Minutes of one product: the stage's norm, or every stage of the task together."""
    return stage.norm_minutes if stage is not None else task.total_minutes


def snapshot(assignment: Assignment) -> dict[str, object]:
    return {
        "task": assignment.task.code,
        "stage": assignment.stage.order if assignment.stage else None,
        "quantity": assignment.quantity,
        "due_date": assignment.due_date,
        "status": assignment.status,
    }


def _check_quantity(quantity: Decimal, errors: dict[str, list[str]]) -> None:
    if not (Decimal(0) < quantity <= MAX_QUANTITY):
        errors.setdefault("quantity", []).append(
            _("The quantity must be more than 0 and at most %(max)s.") % {"max": figure(MAX_QUANTITY, 0)}
        )
    elif cast(int, quantity.as_tuple().exponent) < -2:  # an int: the quantity is finite
        errors.setdefault("quantity", []).append(_("The quantity has at most two decimals."))


def _check_due(due_date: datetime.date, errors: dict[str, list[str]]) -> None:
    today = org_selectors.today()
    if due_date < today:
        errors.setdefault("due_date", []).append(
            _("The due date %(day)s is already past; choose today or a later day.")
            % {"day": short_date(due_date)}
        )
    elif due_date > periods.add_months(today, 12):
        errors.setdefault("due_date", []).append(_("The due date is more than a year away."))


def _text(value: str, limit: int) -> str:
    return value.strip()[:limit]


def _notify_assigned(assignment: Assignment, title: str, key: str) -> None:
    notify(
        recipient=assignment.person,
        key=key,
        title=title,
        body=_("%(code)s %(task)s × %(quantity)s, due %(day)s.")
        % {
            "code": assignment.task.code,
            "task": assignment.task.name,
            "quantity": figure(assignment.quantity, 2).rstrip("0").rstrip(",.") or "0",
            "day": short_date(assignment.due_date),
        },
        url=reverse("assignments:detail", args=[assignment.pk]),
    )


def already_assigned(by: User, client_token: uuid.UUID | None) -> list[Assignment]:
    """The assignments the form ``client_token`` already made (call with the assigner's row locked)."""
    if client_token is None:
        return []
    return list(Assignment.objects.filter(assigned_by=by, client_token=client_token).select_related("person"))


@transaction.atomic
def assignments_create(
    *, people: Sequence[User], data: AssignmentInput, by: User, client_token: uuid.UUID | None = None
) -> list[Assignment]:
    """Assign the same work to each of ``people``: all of them or none.

    ``client_token`` identifies the form filled in: posted again, it returns what that form assigned
    instead of assigning the work twice. The assigner's row lock makes a second request wait for the
    first and then see its assignments; ``assignment_made_once_per_form`` keeps it so in the database.
    """
    User.objects.select_for_update().filter(pk=by.pk).first()  # one assigning form of a user at a time
    existing = already_assigned(by, client_token)
    if existing:
        return existing
    errors: dict[str, list[str]] = {}
    if not people:
        errors["people"] = [_("Choose at least one person.")]
    refused = [p for p in people if not by.has_perm("assignments.assign_to", p)]
    if refused:
        errors.setdefault("people", []).append(
            _("You do not assign work to %(names)s: they are not in the units you lead.")
            % {"names": ", ".join(p.get_full_name() for p in refused)}
        )
    _check_quantity(data.quantity, errors)
    _check_due(data.due_date, errors)
    if data.stage is not None and data.stage.task_id != data.task.pk:
        errors.setdefault("stage", []).append(_("This stage is not a stage of the task."))
    if len(data.note) > NOTE_MAX or len(data.source) > SOURCE_MAX:
        errors.setdefault("note", []).append(_("The note or the source is too long."))
    today = org_selectors.today()
    memberships: dict[int, Membership] = {}
    for person in people:
        membership = org_selectors.membership_on(person, today)
        if membership is None:
            errors.setdefault("people", []).append(
                _("%(name)s belongs to no unit today.") % {"name": person.get_full_name()}
            )
            continue
        memberships[person.pk] = membership
        in_force = catalog_selectors.tasks_in_force(membership.unit.agency, today).filter(active=True)
        if not in_force.filter(pk=data.task.pk).exists():
            errors.setdefault("task", []).append(
                _("%(code)s is not a task of the catalog in force in %(agency)s.")
                % {"code": data.task.code, "agency": membership.unit.agency.code}
            )
    if errors:
        raise ValidationError(errors)
    norm = norm_of(data.task, data.stage)
    created = []
    for person in people:
        membership = memberships[person.pk]
        assignment = Assignment(
            agency=membership.unit.agency,
            unit=membership.unit,
            person=person,
            task=data.task,
            stage=data.stage,
            quantity=data.quantity,
            norm_minutes=norm,
            standard_minutes=norm * data.quantity,
            due_date=data.due_date,
            note=_text(data.note, NOTE_MAX),
            source=_text(data.source, SOURCE_MAX),
            assigned_by=by,
            client_token=client_token,
        )
        set_history_user(assignment, by=by)
        assignment.save()
        record(actor=by, action="assignment.created", target=assignment, after=snapshot(assignment))
        _notify_assigned(assignment, _("New work assigned to you"), f"assignment:{assignment.pk}:1")
        created.append(assignment)
    return created


def _locked(assignment: Assignment, version: int | None, by: User) -> Assignment:
    if not by.has_perm("assignments.change_assignment", assignment):
        raise PermissionDenied(_("Only a leader of the person changes or cancels their assignments."))
    current = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("task", "stage", "person")
        .get(pk=assignment.pk)
    )
    if version is not None and current.version != version:
        raise conflict()
    if not current.is_open:
        raise ValidationError(_("This assignment was cancelled; it can no longer be changed."))
    return current


def _save(assignment: Assignment, *, by: User, action: str, before: dict[str, object], reason: str) -> None:
    assignment.version += 1
    set_history_user(assignment, by=by, reason=reason)
    assignment.save()
    record(
        actor=by, action=action, target=assignment, before=before, after=snapshot(assignment), reason=reason
    )


@transaction.atomic
def assignment_change(
    *,
    assignment: Assignment,
    quantity: Decimal,
    due_date: datetime.date,
    note: str,
    reason: str,
    by: User,
    version: int | None,
) -> Assignment:
    """Change the products expected, the due date or the note, with a reason; the norm stays as assigned."""
    assignment = _locked(assignment, version, by)
    errors: dict[str, list[str]] = {}
    _check_quantity(quantity, errors)
    if due_date != assignment.due_date:
        _check_due(due_date, errors)
    try:
        reason = required_text(reason, "reason", _("Give the reason for the change."))
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    before = snapshot(assignment)
    assignment.quantity = quantity
    assignment.standard_minutes = assignment.norm_minutes * quantity
    assignment.due_date = due_date
    assignment.note = _text(note, NOTE_MAX)
    _save(assignment, by=by, action="assignment.changed", before=before, reason=reason)
    _notify_assigned(
        assignment,
        _("An assignment of yours was changed"),
        f"assignment:{assignment.pk}:{assignment.version}",
    )
    return assignment


@transaction.atomic
def assignment_cancel(*, assignment: Assignment, reason: str, by: User, version: int | None) -> Assignment:
    """Cancel with a reason: the work no longer counts as assigned; entries logged toward it stay as the
    person's own work, accepted or not when reviewed."""
    assignment = _locked(assignment, version, by)
    reason = required_text(reason, "reason", _("Give the reason for cancelling."))
    before = snapshot(assignment)
    assignment.status = AssignmentStatus.CANCELLED
    assignment.cancel_reason = reason
    _save(assignment, by=by, action="assignment.cancelled", before=before, reason=reason)
    _notify_assigned(
        assignment,
        _("An assignment of yours was cancelled"),
        f"assignment:{assignment.pk}:{assignment.version}",
    )
    return assignment


# Recurring assignments by job position ----------------------------------------------------------


def recurring_due_date(agency: Agency, month: datetime.date) -> datetime.date:
    """A month's routine is due on its last working day."""
    days = calendar.working_days(agency, periods.month_start(month), periods.month_end(month))
    return days[-1] if days else periods.month_end(month)


@transaction.atomic
def recurring_create(
    *,
    agency: Agency,
    position: str,
    task: StandardTask,
    stage: Stage | None,
    quantity: Decimal,
    note: str,
    by: User,
) -> RecurringAssignment:
    """The routine of a job position; this month's assignments are issued at once to those holding it."""
    if not by.has_perm("assignments.manage_recurring", agency):
        raise PermissionDenied(_("Only a leader of the agency sets the routine of its job positions."))
    errors: dict[str, list[str]] = {}
    position = position.strip()
    if not position:
        errors["position"] = [_("Give the job position.")]
    elif not User.objects.filter(
        pk__in=Membership.objects.active_on(org_selectors.today())
        .filter(unit__agency=agency)
        .values("person_id"),
        position__iexact=position,
    ).exists():
        errors["position"] = [
            _("Nobody in %(agency)s holds the job position “%(position)s” today.")
            % {"agency": agency.code, "position": position}
        ]
    _check_quantity(quantity, errors)
    in_force = catalog_selectors.tasks_in_force(agency, org_selectors.today()).filter(active=True)
    if not in_force.filter(pk=task.pk).exists():
        errors["task"] = [_("%(code)s is not a task of the catalog in force.") % {"code": task.code}]
    if stage is not None and stage.task_id != task.pk:
        errors.setdefault("stage", []).append(_("This stage is not a stage of the task."))
    if errors:
        raise ValidationError(errors)
    recurring = RecurringAssignment(
        agency=agency,
        position=position,
        task_code=task.code,
        stage_order=stage.order if stage else None,
        quantity=quantity,
        note=_text(note, NOTE_MAX),
        created_by=by,
    )
    set_history_user(recurring, by=by)
    recurring.save()
    record(
        actor=by,
        action="assignment.recurring_created",
        target=recurring,
        agency=agency,
        after={"position": position, "task": task.code, "stage": recurring.stage_order, "quantity": quantity},
    )
    recurring_issue(agency=agency, month=org_selectors.today())
    return recurring


@transaction.atomic
def recurring_stop(*, recurring: RecurringAssignment, reason: str, by: User) -> RecurringAssignment:
    """Stop issuing the routine from next month; this month's assignments stay (cancel them one by one)."""
    if not by.has_perm("assignments.manage_recurring", recurring.agency):
        raise PermissionDenied(_("Only a leader of the agency sets the routine of its job positions."))
    reason = required_text(reason, "reason", _("Give the reason for stopping."))
    recurring = RecurringAssignment.objects.select_for_update().get(pk=recurring.pk)
    if not recurring.active:
        return recurring
    recurring.active = False
    recurring.version += 1
    set_history_user(recurring, by=by, reason=reason)
    recurring.save()
    record(
        actor=by,
        action="assignment.recurring_stopped",
        target=recurring,
        agency=recurring.agency,
        before={"active": True},
        after={"active": False},
        reason=reason[:REASON_MAX],
    )
    return recurring


def recurring_issue(*, agency: Agency, month: datetime.date) -> int:
    """Issue the month's routine to everyone holding each position (idempotent); returns how many were new.

    Run when a routine is created, every day by beat (``assignments.tasks.issue_recurring``), and before a
    month is scored, so a missed run never leaves a month without its routine.
    """
    month = periods.month_start(month)
    due = recurring_due_date(agency, month)
    on = min(due, max(org_selectors.today(), month))
    routines = list(RecurringAssignment.objects.filter(agency=agency, active=True, created_at__date__lte=due))
    if not routines:
        return 0
    tasks = {
        t.code: t
        for t in catalog_selectors.tasks_in_force(agency, on).filter(active=True).prefetch_related("stages")
    }
    if not tasks:
        return 0
    members = list(
        Membership.objects.active_on(on).filter(unit__agency=agency).select_related("person", "unit")
    )
    created = 0
    for routine in routines:
        task = tasks.get(routine.task_code)
        if task is None:
            continue
        stage = next((s for s in task.stages.all() if s.order == routine.stage_order), None)
        if routine.stage_order is not None and stage is None:
            continue
        norm = norm_of(task, stage)
        for membership in members:
            person = membership.person
            if person.position.strip().casefold() != routine.position.casefold():
                continue
            assignment, was_created = Assignment.objects.get_or_create(
                recurring=routine,
                person=person,
                due_date=due,
                defaults={
                    "agency": agency,
                    "unit": membership.unit,
                    "task": task,
                    "stage": stage,
                    "quantity": routine.quantity,
                    "norm_minutes": norm,
                    "standard_minutes": norm * routine.quantity,
                    "note": routine.note,
                    "assigned_by_id": routine.created_by_id,
                },
            )
            if was_created:
                created += 1
                _notify_assigned(
                    assignment, _("Your routine work of the month"), f"assignment:{assignment.pk}:1"
                )
    return created
