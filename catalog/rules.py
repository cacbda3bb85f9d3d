"""Who may read, change and approve a catalog. The object is the Agency, or the Province for the
province's common catalog (groups A, B and D, kept by the Department of Home Affairs)."""

import rules

from org.models import Agency, Province, Role
from org.selectors import access_scope, agency_heads, today


def _agencies_of(scope) -> set[int]:
    return (
        set(scope.member_agency_ids) | set(scope.catalog_agency_ids) | {a for a, _role in scope.agency_roles}
    )


@rules.predicate
def reads_catalog(user, agency) -> bool:
    if agency is None:
        return False
    scope = access_scope(user)
    if isinstance(agency, Province):
        # Everyone of the province works with its common catalog.
        return (
            scope.everything
            or agency.pk in {p for p, _role in scope.province_roles}
            or Agency.objects.filter(pk__in=_agencies_of(scope), province=agency).exists()
        )
    return scope.belongs_to(agency) or scope.reads_agency(agency) or scope.manages_catalog(agency)


@rules.predicate
def manages_catalog(user, agency) -> bool:
    if agency is None:
        return False
    scope = access_scope(user)
    if isinstance(agency, Province):
        return scope.everything or (agency.pk, Role.HR) in scope.province_roles
    return scope.manages_catalog(agency)


@rules.predicate
def approves_catalog(user, agency) -> bool:
    """The agency's head publishes its catalog once the catalog manager has submitted it."""
    if not isinstance(agency, Agency):
        return False
    return access_scope(user).everything or agency_heads(agency, today()).filter(pk=user.pk).exists()


@rules.predicate
def has_a_catalog(user) -> bool:
    """Belongs to an agency, or maintains the catalog of one: the catalog pages are theirs to open."""
    scope = access_scope(user)
    return bool(scope.member_agency_ids or scope.catalog_agency_ids or scope.province_roles)


rules.add_perm("catalog.browse_catalog", rules.is_active & has_a_catalog)
rules.add_perm("catalog.view_catalog", rules.is_active & reads_catalog)
rules.add_perm("catalog.manage_catalog", rules.is_active & manages_catalog)
rules.add_perm("catalog.approve_catalog", rules.is_active & approves_catalog)
