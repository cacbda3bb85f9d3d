"""Who may do what with a work diary, as django-rules predicates on ``org.selectors.access_scope``.

The objects: a person (their diary), an entry, an agency (reopening approved entries is
HR's), and an unsaved ``DayReopening`` naming the person and the day to reopen. The views,
the templates, the person page and the services (``services``, ``lifecycle``) all ask these.
"""

import rules

from org.models import Role
from org.rules import reads_person
from org.selectors import access_scope, membership_on


@rules.predicate
def has_a_diary(user) -> bool:
    return bool(access_scope(user).member_agency_ids)


@rules.predicate
def is_diary_owner(user, person) -> bool:
    return person is not None and person.pk == user.pk


@rules.predicate
def owns_entry(user, entry) -> bool:
    return entry is not None and entry.person_id == user.pk


@rules.predicate
def reads_entry_owner(user, entry) -> bool:
    return entry is not None and reads_person(user, entry.person)


@rules.predicate
def reviews_entry(user, entry) -> bool:
    """Reviews the owner of the entry on its date (by line or delegation); nobody reviews themself."""
    if entry is None or entry.person_id == user.pk:
        return False
    return entry.person_id in access_scope(user, entry.date).reviewee_ids


@rules.predicate
def reopens_entries(user, agency) -> bool:
    """HR and administrators of the agency unlock approved entries and reopen anyone's days."""
    return agency is not None and access_scope(user).has_role(agency, Role.HR, Role.ADMINISTRATOR)


@rules.predicate
def reopens_day(user, reopening) -> bool:
    """The person's reviewer on that day, or HR or an administrator of their agency then; never themself."""
    if reopening is None or reopening.person_id == user.pk:
        return False
    if reopening.person_id in access_scope(user, reopening.date).reviewee_ids:
        return True
    membership = membership_on(reopening.person, reopening.date)
    return membership is not None and reopens_entries(user, membership.unit.agency)


@rules.predicate
def confirms_objective_cause(user, entry) -> bool:
    """A leader of the entry's agency, for somebody else's entry."""
    if entry is None or entry.person_id == user.pk:
        return False
    return access_scope(user).has_role(entry.agency, Role.LEADER)


rules.add_perm("worklog.keep_diary", rules.is_active & has_a_diary)
rules.add_perm("worklog.write_diary", rules.is_active & is_diary_owner)
rules.add_perm("worklog.view_entry", rules.is_active & (owns_entry | reviews_entry | reads_entry_owner))
rules.add_perm("worklog.change_entry", rules.is_active & owns_entry)
rules.add_perm("worklog.review_entry", rules.is_active & reviews_entry)
rules.add_perm("worklog.reopen_entries", rules.is_active & reopens_entries)
rules.add_perm("worklog.reopen_day", rules.is_active & reopens_day)
rules.add_perm("worklog.exempt_entry", rules.is_active & confirms_objective_cause)
