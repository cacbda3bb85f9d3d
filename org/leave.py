"""The leave register: approved absences, and the days a person actually worked.

SPEC.md "Hours worked: one definition everywhere": hours a day divide by the days actually worked,
the agency's working days minus the person's approved leave. Only working days of a leave count
(a leave over a weekend or a holiday takes none of them); a business trip is work, never leave.

Reads: ``leave_days`` (the leave days of many people in a period, one query for the leaves and one
per agency calendar) and ``days_worked``. Writes: ``leave_record``, ``leave_delete`` and
``leave_import`` (all or nothing). Each write locks the person's row first, so two leaves of one
person recorded at the same moment are checked one after the other and never overlap; each is
audited and marks the person's months stale (``org.figures.people_changed``) in its transaction.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kpi_portal import periods

from . import calendar, figures
from . import selectors as org_selectors
from .audit import record
from .models import Agency, AuditEvent, Leave, LeaveKind, Membership, Role, User

# Reads -----------------------------------------------------------------------------------------------


def leave_days(
    person_ids: Iterable[int],
    start: datetime.date,
    end: datetime.date,
    *,
    known: dict[int, list[datetime.date]] | None = None,
) -> dict[int, set[datetime.date]]:
    """The working days of approved leave of each person from ``start`` to ``end`` inclusive, by the
    calendar of the agency each leave belongs to; people without leave are left out. One query, and
    one per agency calendar not in ``known`` (agency id → its working days of the same period)."""
    ids = sorted(set(person_ids))
    found: dict[int, set[datetime.date]] = defaultdict(set)
    if not ids or end < start:
        return {}
    leaves = list(
        Leave.objects.filter(person_id__in=ids, start__lte=end, end__gte=start).values_list(
            "person_id", "agency_id", "start", "end"
        )
    )
    calendars: dict[int, list[datetime.date]] = dict(known or {})
    for person_id, agency_id, first, last in leaves:
        if agency_id not in calendars:
            calendars[agency_id] = calendar.working_days(Agency(pk=agency_id), start, end)
        found[person_id].update(day for day in calendars[agency_id] if first <= day <= last)
    return {person_id: days for person_id, days in found.items() if days}


def days_worked_of(
    person_ids: Iterable[int], agency: Agency, start: datetime.date, end: datetime.date
) -> tuple[int, dict[int, int]]:
    """The agency's working days in the period, and the days each person actually worked (those
    working days minus their leave): for everyone at once."""
    days = calendar.working_days(agency, start, end)
    working = set(days)
    leave = leave_days(person_ids, start, end, known={agency.pk: days})
    return len(working), {person_id: len(working - leave.get(person_id, set())) for person_id in person_ids}


def days_worked(person: User | int, agency: Agency, start: datetime.date, end: datetime.date) -> int:
    """The days ``person`` actually worked from ``start`` to ``end``: the agency's working days minus
    their approved leave."""
    person_id = person if isinstance(person, int) else person.pk
    return days_worked_of([person_id], agency, start, end)[1][person_id]


# Who manages whose leave ------------------------------------------------------------------------------


def _headed_units(user: User, on: datetime.date) -> set[int]:
    return set(
        Membership.objects.active_on(on).filter(person=user, is_head=True).values_list("unit_id", flat=True)
    )


def is_hr_of(user: User, agency: Agency) -> bool:
    return org_selectors.access_scope(user).has_role(agency, Role.HR, Role.ADMINISTRATOR)


def manageable_agencies(user: User) -> list[Agency]:
    """Agencies whose leave register the user keeps: HR (or an administrator) of the agency, or the
    head of one of its units (for the unit's members)."""
    scope = org_selectors.access_scope(user)
    if not user.is_authenticated or not user.is_active:
        return []
    agencies = Agency.objects.order_by("code")
    if scope.everything:
        return list(agencies)
    hr = {a for a, role in scope.agency_roles if role in (Role.HR, Role.ADMINISTRATOR)}
    hr_provinces = {p for p, role in scope.province_roles if role in (Role.HR, Role.ADMINISTRATOR)}
    headed = Membership.objects.active_on(org_selectors.today()).filter(person=user, is_head=True)
    q = Q(pk__in=hr) | Q(province_id__in=hr_provinces) | Q(pk__in=headed.values("unit__agency_id"))
    return list(agencies.filter(q))


@rules.predicate
def keeps_leave(user) -> bool:
    """HR (or an administrator) of an agency, or a unit head: the menu shows them the register."""
    scope = org_selectors.access_scope(user)
    return (
        scope.everything
        or scope.heads_unit
        or any(
            role in (Role.HR, Role.ADMINISTRATOR) for _id, role in scope.agency_roles | scope.province_roles
        )
    )


# Registered here rather than in org/rules.py: the register's rights live with the register.
rules.set_perm("org.keep_leave", rules.is_active & keeps_leave)


def manageable_people(user: User, agency: Agency, on: datetime.date) -> QuerySet[User]:
    """The people of ``agency`` whose leave the user may record on ``on``: everyone of the agency
    for its HR; the other members of their units for a unit head (never their own leave)."""
    members = Membership.objects.active_on(on).filter(unit__agency=agency)
    if not is_hr_of(user, agency):
        members = members.filter(unit_id__in=_headed_units(user, on)).exclude(person=user)
    return User.objects.filter(pk__in=members.values("person_id"), is_active=True).order_by("full_name")


def may_manage(user: User, person: User, agency: Agency) -> bool:
    """Whether the user keeps the person's leave in ``agency`` (by today's units and roles)."""
    return manageable_people(user, agency, org_selectors.today()).filter(pk=person.pk).exists()


def leaves_listed(
    user: User,
    agency: Agency,
    month: datetime.date,
    *,
    search: str = "",
    kind: str = "",
) -> QuerySet[Leave]:
    """The leaves of ``agency`` touching ``month`` that the user keeps, filtered."""
    start, end = periods.month_start(month), periods.month_end(month)
    leaves = Leave.objects.filter(agency=agency, start__lte=end, end__gte=start)
    if not is_hr_of(user, agency):
        members = Membership.objects.filter(
            unit_id__in=_headed_units(user, org_selectors.today()), start__lte=end
        ).filter(Q(end__isnull=True) | Q(end__gte=start))
        leaves = leaves.filter(person_id__in=members.values("person_id")).exclude(person=user)
    if search:
        leaves = leaves.filter(Q(person__full_name__icontains=search) | Q(person__username__icontains=search))
    if kind:
        leaves = leaves.filter(kind=kind)
    return leaves.select_related("person", "created_by").order_by("start", "person__full_name", "pk")


# Writes ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeaveInput:
    person: User
    start: datetime.date
    end: datetime.date
    kind: str = LeaveKind.ANNUAL
    note: str = ""


def lock_people(person_ids: Sequence[int]) -> None:
    """Lock the people's rows until the transaction ends (in id order, so two imports never deadlock):
    a second leave of the same person waits here and then sees the first."""
    list(User.objects.select_for_update().filter(pk__in=sorted(set(person_ids))).values_list("pk", flat=True))


def overlapping(person: User, start: datetime.date, end: datetime.date) -> Leave | None:
    return Leave.objects.filter(person=person, start__lte=end, end__gte=start).order_by("start").first()


def _check_dates(entry: LeaveInput) -> None:
    if entry.end < entry.start:
        raise ValidationError(_("The leave cannot end before it starts."))
    if (entry.end - entry.start).days > 366:
        raise ValidationError(_("A leave lasts at most a year; record a longer absence in parts."))
    if entry.kind not in LeaveKind.values:
        raise ValidationError(_("Choose annual leave, sick leave or other leave."))


def _overlap_error(person: User, start: datetime.date, end: datetime.date) -> ValidationError:
    return ValidationError(
        _("%(name)s already has leave from %(start)s to %(end)s, which overlaps.")
        % {"name": person.get_full_name(), "start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"}
    )


def _check(entry: LeaveInput) -> None:
    _check_dates(entry)
    clash = overlapping(entry.person, entry.start, entry.end)
    if clash is not None:
        raise _overlap_error(entry.person, clash.start, clash.end)


def _mark_stale(leaves: Iterable[Leave]) -> None:
    figures.people_changed(
        (leave.agency_id, month, leave.person_id)
        for leave in leaves
        for month in periods.months_between(leave.start, leave.end)
    )


def _create(by: User, agency: Agency, entry: LeaveInput) -> Leave:
    leave = Leave.objects.create(
        person=entry.person,
        agency=agency,
        start=entry.start,
        end=entry.end,
        kind=entry.kind,
        note=entry.note,
        created_by=by,
    )
    return leave


def _audit(by: User, action: str, leave: Leave, **extra) -> None:
    detail = {"start": leave.start, "end": leave.end, "kind": leave.kind, "note": leave.note}
    if action == "leave.deleted":
        record(actor=by, action=action, target=leave, before=detail, **extra)
    else:
        record(actor=by, action=action, target=leave, after=detail, **extra)


def leave_record(*, by: User, agency: Agency, entry: LeaveInput) -> Leave:
    """Record one leave; refused if the user does not keep the person's leave or it overlaps another."""
    if not may_manage(by, entry.person, agency):
        raise PermissionDenied(_("You do not keep the leave register of this person."))
    with transaction.atomic():
        lock_people([entry.person.pk])
        _check(entry)
        leave = _create(by, agency, entry)
        _audit(by, "leave.recorded", leave)
        _mark_stale([leave])
    return leave


def leave_delete(*, by: User, leave: Leave) -> None:
    """Delete a leave recorded by mistake (audited; the person's months are recomputed)."""
    if not may_manage(by, leave.person, leave.agency):
        raise PermissionDenied(_("You do not keep the leave register of this person."))
    with transaction.atomic():
        lock_people([leave.person_id])
        _audit(by, "leave.deleted", leave)
        _mark_stale([leave])
        leave.delete()


def leave_import(*, by: User, agency: Agency, entries: Sequence[tuple[int, LeaveInput]]) -> list[Leave]:
    """Record many leaves at once, all or nothing: ``entries`` are (row number, leave). Raises a
    ValidationError listing each refused row ("Row 3: …"); with any, nothing is recorded. A fixed
    number of queries, whatever the number of rows."""
    if not entries:
        return []
    allowed = set(manageable_people(by, agency, org_selectors.today()).values_list("pk", flat=True))
    errors: list[str] = []
    rows = sorted(entries, key=lambda item: item[0])
    with transaction.atomic():
        lock_people([e.person.pk for _row, e in rows])
        # The people's leaves around the file's dates, then the file's own rows as they are accepted:
        # a row overlapping an earlier row of the same file is refused too.
        taken: dict[int, list[tuple[datetime.date, datetime.date]]] = defaultdict(list)
        for person_id, first, last in Leave.objects.filter(
            person_id__in={e.person.pk for _row, e in rows},
            start__lte=max(e.end for _row, e in rows),
            end__gte=min(e.start for _row, e in rows),
        ).values_list("person_id", "start", "end"):
            taken[person_id].append((first, last))
        accepted: list[LeaveInput] = []
        for row, entry in rows:
            try:
                if entry.person.pk not in allowed:
                    raise ValidationError(
                        _("you do not keep the leave register of %(name)s.") % {"name": entry.person.username}
                    )
                _check_dates(entry)
                clash = next(
                    (
                        (a, b)
                        for a, b in sorted(taken[entry.person.pk])
                        if a <= entry.end and b >= entry.start
                    ),
                    None,
                )
                if clash is not None:
                    raise _overlap_error(entry.person, *clash)
            except ValidationError as error:
                errors.append(
                    _("Row %(row)s: %(message)s") % {"row": row, "message": " ".join(error.messages)}
                )
                continue
            taken[entry.person.pk].append((entry.start, entry.end))
            accepted.append(entry)
        if errors:
            raise ValidationError(errors)
        created = Leave.objects.bulk_create(
            [
                Leave(
                    person=e.person,
                    agency=agency,
                    start=e.start,
                    end=e.end,
                    kind=e.kind,
                    note=e.note,
                    created_by=by,
                )
                for e in accepted
            ]
        )
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    actor=by,
                    action="leave.imported",
                    object_type="leave",
                    object_id=leave.pk,
                    agency=agency,
                    person=leave.person,
                    before={},
                    after={
                        "start": leave.start.isoformat(),
                        "end": leave.end.isoformat(),
                        "kind": leave.kind,
                        "note": leave.note,
                    },
                )
                for leave in created
            ]
        )
        _mark_stale(created)
    return created
