"""Who manages an agency's API clients, as a django-rules predicate on ``org.selectors.access_scope``.

A client's key reads the agency's figures and evaluations and pushes its evidence, so only an
administrator of that agency (or a superuser) creates, revokes or re-keys it, in the admin.
The requests of a client need no rule: every query goes through the key's own agency.
"""

import rules

from org.models import Role
from org.selectors import access_scope


@rules.predicate
def administers_agency(user, agency) -> bool:
    return agency is not None and access_scope(user).has_role(agency, Role.ADMINISTRATOR)


rules.add_perm("api.manage_clients", rules.is_active & rules.is_staff & administers_agency)
