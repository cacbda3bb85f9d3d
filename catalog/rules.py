"""Who may read and who may change an agency's catalog (the object is the Agency)."""

import rules

from org.selectors import access_scope


@rules.predicate
def reads_catalog(user, agency) -> bool:
    if agency is None:
        return False
    scope = access_scope(user)
    return scope.belongs_to(agency) or scope.reads_agency(agency) or scope.manages_catalog(agency)


@rules.predicate
def manages_catalog(user, agency) -> bool:
    return agency is not None and access_scope(user).manages_catalog(agency)


@rules.predicate
def has_a_catalog(user) -> bool:
    """Belongs to an agency, or maintains the catalog of one: the catalog pages are theirs to open."""
    scope = access_scope(user)
    return bool(scope.member_agency_ids or scope.catalog_agency_ids)


rules.add_perm("catalog.browse_catalog", rules.is_active & has_a_catalog)
rules.add_perm("catalog.view_catalog", rules.is_active & reads_catalog)
rules.add_perm("catalog.manage_catalog", rules.is_active & manages_catalog)
