"""Who may assign work to whom, and who reads an assignment (django-rules, on ``org.selectors.access_scope``).

A person is assigned work by whoever reviews them today (their unit head up the line, or a delegate) and
by a leader of their agency; never by themself. An assignment is read by its assignee, by whoever may
assign to the assignee, and by those who read the person (HR, administrators); it is changed or cancelled
by whoever may assign to the assignee today.
"""

import rules

from org.models import Role
from org.rules import reads_person
from org.selectors import access_scope, membership_on, today


@rules.predicate
def assigns_to(user, person) -> bool:
    """``user`` may assign work to ``person`` today: their reviewer, or a leader of their agency."""
    if person is None or person.pk == user.pk:
        return False
    scope = access_scope(user)
    if person.pk in scope.reviewee_ids:
        return True
    membership = membership_on(person, today())
    return membership is not None and scope.has_role(membership.unit.agency, Role.LEADER)


@rules.predicate
def assigns_work(user) -> bool:
    """Heads a unit, reviews somebody today, or leads an agency: the assignments page offers "assign"."""
    scope = access_scope(user)
    roles = scope.agency_roles | scope.province_roles
    return (
        scope.everything
        or scope.heads_unit
        or bool(scope.reviewee_ids)
        or any(r == Role.LEADER for _x, r in roles)
    )


@rules.predicate
def is_assignee(user, assignment) -> bool:
    return assignment is not None and assignment.person_id == user.pk


@rules.predicate
def manages_assignment(user, assignment) -> bool:
    return assignment is not None and assigns_to(user, assignment.person)


@rules.predicate
def reads_assignee(user, assignment) -> bool:
    return assignment is not None and (
        assignment.assigned_by_id == user.pk or reads_person(user, assignment.person)
    )


@rules.predicate
def leads_agency(user, agency) -> bool:
    return agency is not None and access_scope(user).has_role(agency, Role.LEADER)


@rules.predicate
def has_a_diary(user) -> bool:
    return bool(access_scope(user).member_agency_ids)


rules.add_perm("assignments.assign_work", rules.is_active & assigns_work)
rules.add_perm("assignments.list_assignments", rules.is_active & (has_a_diary | assigns_work))
rules.add_perm("assignments.assign_to", rules.is_active & assigns_to)
rules.add_perm(
    "assignments.view_assignment", rules.is_active & (is_assignee | manages_assignment | reads_assignee)
)
rules.add_perm("assignments.change_assignment", rules.is_active & manages_assignment)
rules.add_perm("assignments.manage_recurring", rules.is_active & leads_agency)
