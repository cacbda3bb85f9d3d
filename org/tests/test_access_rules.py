"""Who may read whom: the predicates every view and later app relies on."""

import datetime

import pytest

from org import selectors
from org.models import Role, User

from .factories import DelegationFactory, RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.dates


def visible(user):
    return set(selectors.visible_people(user).values_list("username", flat=True))


def test_a_staff_member_sees_only_themself(org):
    assert visible(org.member1) == {"member1"}
    assert org.member1.has_perm("org.view_person", org.member1)
    assert not org.member1.has_perm("org.view_person", org.member2)
    assert not org.member1.has_perm("org.list_people")


def test_a_supervisor_sees_the_people_they_review_and_nobody_else(org):
    assert visible(org.head1) == {"head1", "member1", "member2"}
    assert org.head1.has_perm("org.view_person", org.member1)
    assert not org.head1.has_perm("org.view_person", org.hr)
    assert not org.head1.has_perm("org.view_person", org.leader)


def test_a_delegate_without_an_agency_role_loses_the_people_after_the_delegation(org):
    today = selectors.today()
    DelegationFactory(delegator=org.head1, delegate=org.orphan, start=today, end=today)

    assert visible(org.orphan) == {"orphan", "member1", "member2"}
    tomorrow = today + datetime.timedelta(days=1)
    assert set(selectors.visible_people(org.orphan, tomorrow).values_list("username", flat=True)) == {
        "orphan"
    }


@pytest.mark.parametrize("who", ["hr", "leader", "deputy"])
def test_hr_and_leaders_see_their_whole_agency_and_nothing_of_another(org, who):
    user = getattr(org, who)
    seen = visible(user)

    assert seen == {
        "leader", "deputy", "head1", "member1", "member2", "head2", "hr", "catalog", "orphan"
    }  # fmt: skip
    assert not user.has_perm("org.view_person", org.member_b)
    assert user.has_perm("org.list_people")


def test_a_catalog_manager_reads_no_other_person(org):
    assert visible(org.catalog_manager) == {"catalog"}


def test_people_of_another_agency_see_nothing_of_this_one(org):
    assert visible(org.member_b) == {"member_b"}
    assert visible(org.leader_b) == {"leader_b", "member_b"}
    for person in (org.leader, org.member1, org.hr):
        assert not org.leader_b.has_perm("org.view_person", person)


def test_province_scope_reads_every_agency_of_the_province(org):
    reader = UserFactory(username="noivu")
    RoleAssignmentFactory(person=reader, role=Role.HR, agency=None, province=org.agency.province)

    assert {"member1", "member_b", "leader_b", "leader"} <= visible(reader)


def test_an_hr_officer_who_left_the_agency_role_sees_only_themself(org):
    assert "member1" in visible(org.hr)
    org.hr.role_assignments.all().delete()

    assert visible(User.objects.get(pk=org.hr.pk)) == {"hr"}


def test_an_administrator_sees_everyone(org):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)

    assert {"member1", "member_b"} <= visible(admin)


def test_an_inactive_account_sees_nobody(org):
    org.hr.is_active = False
    org.hr.save()

    assert not org.hr.has_perm("org.view_person", org.member1)


# Each permission of org/rules.py, for an outsider (another agency), a member, a unit head, the
# leader and HR of agency A.
ROLES = ["member_b", "member1", "head1", "leader", "hr"]


def holders(org, perm, obj=None) -> set[str]:
    return {who for who in ROLES if getattr(org, who).has_perm(perm, obj)}


@pytest.mark.parametrize(
    ("perm", "expected"),
    [
        ("org.list_people", {"head1", "leader", "hr"}),
        ("org.view_audit", {"leader", "hr"}),
        ("org.delegate_review", {"head1", "leader"}),
        ("org.view_delegations", {"head1", "leader"}),
        ("org.use_admin", set()),
    ],
)
def test_the_pages_of_the_organisation_by_role(org, perm, expected):
    assert holders(org, perm) == expected


def test_a_person_and_an_agency_are_in_the_scope_of_those_who_read_them(org):
    assert holders(org, "org.view_person", org.member1) == {"member1", "head1", "leader", "hr"}
    assert holders(org, "org.view_agency", org.agency) == {"member1", "head1", "leader", "hr"}
    assert holders(org, "org.view_agency", org.other_agency) == {"member_b"}


def test_a_delegation_is_known_to_its_two_people_and_cancelled_by_its_delegator(org):
    delegation = DelegationFactory(delegator=org.head1, delegate=org.member1)

    assert holders(org, "org.view_delegation", delegation) == {"head1", "member1"}
    assert holders(org, "org.cancel_delegation", delegation) == {"head1"}
    assert org.member1.has_perm("org.view_delegations")


def test_a_superuser_is_held_to_the_rules_like_anyone(org):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)

    assert root.has_perm("org.view_person", org.member_b)
    assert root.has_perm("org.view_audit")
    assert not root.has_perm("org.delegate_review")  # they head no unit
    assert root.has_perm("org.view_user")  # Django's own permissions still let them through
