"""Access rules of the organisation, as django-rules predicates.

Views check them with ``has_perm``, templates with ``{% has_perm %}``; both
read ``selectors.access_scope``, the one place the rights are worked out.
"""

import rules

from . import selectors


@rules.predicate
def is_self(user, person) -> bool:
    return person is not None and user.pk == person.pk


@rules.predicate
def can_read_person(user, person) -> bool:
    if person is None:
        return False
    return selectors.visible_people(user).filter(pk=person.pk).exists()


@rules.predicate
def sees_others(user) -> bool:
    return selectors.access_scope(user).sees_others


@rules.predicate
def heads_a_unit(user) -> bool:
    return selectors.access_scope(user).heads_unit


@rules.predicate
def can_cancel_delegation(user, delegation) -> bool:
    return delegation is not None and (
        delegation.delegator_id == user.pk or selectors.access_scope(user).everything
    )


rules.add_perm("org.view_person", rules.is_authenticated & (is_self | can_read_person))
rules.add_perm("org.list_people", rules.is_authenticated & sees_others)
rules.add_perm("org.delegate_review", rules.is_active & heads_a_unit)
rules.add_perm("org.cancel_delegation", rules.is_active & can_cancel_delegation)
