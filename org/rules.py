"""Access rules of the organisation, as django-rules predicates.

Views check them with ``has_perm``, templates with ``{% has_perm %}``; both
read ``selectors.access_scope``, the one place the rights are worked out.
The predicates about people, agencies and reviewers (``reads_person``,
``knows_agency``, ``reads_an_agency``, ``reviews_someone``) are shared with
the ``rules.py`` of the apps above.
"""

import rules
from django.db.models import Q

from . import selectors
from .models import Membership, Role


@rules.predicate
def is_self(user, person) -> bool:
    return person is not None and user.pk == person.pk


@rules.predicate
def reads_person(user, person) -> bool:
    if person is None:
        return False
    return selectors.visible_people(user).filter(pk=person.pk).exists()


@rules.predicate
def knows_agency(user, agency) -> bool:
    """The agency is in the user's scope: they belong to it or hold a role over it (or its province)."""
    if agency is None:
        return False
    scope = selectors.access_scope(user)
    return scope.belongs_to(agency) or scope.has_role(agency, *Role.values)


@rules.predicate
def reads_an_agency(user) -> bool:
    """Reads at least one agency in full: a leader, HR, an administrator, province scope, a superuser."""
    scope = selectors.access_scope(user)
    return bool(scope.everything or scope.agency_ids or scope.province_ids)


@rules.predicate
def reviews_someone(user) -> bool:
    """Heads a unit, or reviews somebody today (a delegation)."""
    scope = selectors.access_scope(user)
    return scope.heads_unit or bool(scope.reviewee_ids)


@rules.predicate
def sees_others(user) -> bool:
    return selectors.access_scope(user).sees_others


@rules.predicate
def heads_a_unit(user) -> bool:
    return selectors.access_scope(user).heads_unit


@rules.predicate
def receives_delegations(user) -> bool:
    return user.delegations_received.exists()


@rules.predicate
def is_party_to_delegation(user, delegation) -> bool:
    return delegation is not None and (
        user.pk in (delegation.delegator_id, delegation.delegate_id)
        or selectors.access_scope(user).everything
    )


@rules.predicate
def cancels_delegation(user, delegation) -> bool:
    return delegation is not None and (
        delegation.delegator_id == user.pk or selectors.access_scope(user).everything
    )


@rules.predicate
def resets_second_factor(user, person) -> bool:
    """A superuser, or an administrator of an agency the person belongs to today; never for oneself
    (another administrator does it: org/otp.py)."""
    if person is None or person.pk == user.pk:
        return False
    scope = selectors.access_scope(user)
    if scope.everything:
        return True
    agencies = {agency_id for agency_id, role in scope.agency_roles if role == Role.ADMINISTRATOR}
    provinces = {province_id for province_id, role in scope.province_roles if role == Role.ADMINISTRATOR}
    if not (agencies or provinces):
        return False
    return (
        Membership.objects.active_on(selectors.today())
        .filter(person=person)
        .filter(Q(unit__agency_id__in=agencies) | Q(unit__agency__province_id__in=provinces))
        .exists()
    )


rules.add_perm("org.view_person", rules.is_authenticated & (is_self | reads_person))
rules.add_perm("org.list_people", rules.is_authenticated & sees_others)
rules.add_perm("org.view_agency", rules.is_active & knows_agency)
rules.add_perm("org.view_audit", rules.is_active & reads_an_agency)
rules.add_perm("org.delegate_review", rules.is_active & heads_a_unit)
rules.add_perm("org.view_delegations", rules.is_active & (heads_a_unit | receives_delegations))
rules.add_perm("org.view_delegation", rules.is_active & is_party_to_delegation)
rules.add_perm("org.cancel_delegation", rules.is_active & cancels_delegation)
rules.add_perm("org.use_admin", rules.is_active & rules.is_staff)
rules.add_perm("org.reset_second_factor", rules.is_active & resets_second_factor)
