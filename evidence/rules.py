"""Who may import an agency's evidence and answer a flag, as django-rules predicates.

Built on ``org.selectors.access_scope`` like every rule; a flag follows the rules of its entry
(``worklog.rules``): its owner justifies it, its reviewer clears it, whoever reads the entry sees it.
"""

import rules

from org.models import Role
from org.selectors import access_scope
from worklog.rules import owns_entry, reviews_entry


@rules.predicate
def imports_evidence(user, agency) -> bool:
    """HR officers and administrators of the agency import its E-Office exports."""
    return agency is not None and access_scope(user).has_role(agency, Role.HR, Role.ADMINISTRATOR)


@rules.predicate
def reads_flagged_entry(user, flag) -> bool:
    return flag is not None and user.has_perm("worklog.view_entry", flag.entry)


@rules.predicate
def owns_flagged_entry(user, flag) -> bool:
    return flag is not None and owns_entry(user, flag.entry)


@rules.predicate
def reviews_flagged_entry(user, flag) -> bool:
    return flag is not None and reviews_entry(user, flag.entry)


rules.add_perm("evidence.import_evidence", rules.is_active & imports_evidence)
rules.add_perm("evidence.view_flag", rules.is_active & reads_flagged_entry)
rules.add_perm("evidence.justify_flag", rules.is_active & owns_flagged_entry)
rules.add_perm("evidence.clear_flag", rules.is_active & reviews_flagged_entry)
