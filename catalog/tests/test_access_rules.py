"""Each permission of catalog/rules.py, for an outsider (another agency), a member, a unit head,
the leader, HR and the catalog manager of agency A."""

import pytest

from org.tests.factories import UserFactory

pytestmark = pytest.mark.dates

ROLES = ["member_b", "member1", "head1", "leader", "hr", "catalog_manager"]


def holders(org, perm, obj=None) -> set[str]:
    return {who for who in ROLES if getattr(org, who).has_perm(perm, obj)}


def test_everyone_of_an_agency_reads_its_catalog_and_its_manager_changes_it(org):
    assert holders(org, "catalog.browse_catalog") == set(ROLES)
    assert not UserFactory().has_perm("catalog.browse_catalog")
    assert holders(org, "catalog.view_catalog", org.agency) == {
        "member1",
        "head1",
        "leader",
        "hr",
        "catalog_manager",
    }
    assert holders(org, "catalog.manage_catalog", org.agency) == {"catalog_manager"}
    assert holders(org, "catalog.view_catalog", org.other_agency) == {"member_b"}


def test_a_superuser_manages_every_catalog(org):
    root = UserFactory(username="root", is_superuser=True)

    assert root.has_perm("catalog.manage_catalog", org.other_agency)
