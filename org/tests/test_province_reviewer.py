"""The head of an agency is reviewed by the province reviewer of its province (org.selectors), and
the check of the review line lists whoever nobody reviews (command and system check org.W001)."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from org import checks, selectors
from org.models import Role, RoleAssignment

from .factories import MembershipFactory, ProvinceFactory, RoleAssignmentFactory, UserFactory

D = datetime.date(2026, 3, 10)


def province_reviewer(province, username="ubnd"):
    person = UserFactory(username=username, full_name="Trần Hòa Bình")
    RoleAssignmentFactory(person=person, role=Role.PROVINCE_REVIEWER, agency=None, province=province)
    return person


def test_the_agency_head_is_reviewed_by_the_province_reviewer(org):
    ubnd = province_reviewer(org.agency.province)

    assert selectors.reviewer_for(org.leader, D) == ubnd
    assert selectors.reviewer_for(org.leader_b, D) == ubnd
    # Nothing else moves: the deputy and the unit heads stay with the agency leader.
    assert selectors.reviewer_for(org.deputy, D) == org.leader
    assert selectors.reviewer_for(org.head1, D) == org.leader
    assert selectors.reviewee_ids(ubnd, D) == {org.leader.pk, org.leader_b.pk}
    assert selectors.reviewed_agency_ids(ubnd, D, D) == {org.agency.pk, org.other_agency.pk}


def test_of_several_province_reviewers_the_first_designated_reviews(org):
    first = province_reviewer(org.agency.province, "ubnd1")
    second = province_reviewer(org.agency.province, "ubnd2")

    assert selectors.reviewer_for(org.leader, D) == first
    assert selectors.reviewee_ids(second, D) == frozenset()
    first.is_active = False
    first.save()
    assert selectors.reviewer_for(org.leader, D) == second


def test_another_provinces_reviewer_reviews_nobody_here(org):
    elsewhere = province_reviewer(ProvinceFactory(code="DNG", name="Thành phố Đà Nẵng"))

    assert selectors.reviewer_for(org.leader, D) is None
    assert selectors.reviewee_ids(elsewhere, D) == frozenset()
    assert selectors.reviewed_agency_ids(elsewhere, D, D) == set()


def test_a_province_reviewer_who_heads_the_agency_does_not_review_themself(org):
    RoleAssignmentFactory(
        person=org.leader, role=Role.PROVINCE_REVIEWER, agency=None, province=org.agency.province
    )

    assert selectors.reviewer_for(org.leader, D) is None
    assert selectors.reviewer_for(org.leader_b, D) == org.leader


def test_the_review_map_still_costs_three_queries_with_a_province_reviewer(org, django_assert_num_queries):
    ubnd = province_reviewer(org.agency.province)
    for _ in range(20):
        MembershipFactory(unit=org.unit1)

    with django_assert_num_queries(3):
        reviewers = selectors.review_map(org.agency.pk, D)
    with django_assert_num_queries(3):
        maps = selectors.review_maps(org.agency.pk, D, D + datetime.timedelta(days=30))

    assert len(reviewers) == 9 + 20  # everyone of agency A, its leader included
    assert reviewers[org.leader.pk] == ubnd.pk
    assert all(day_map[org.leader.pk] == ubnd.pk for day_map in maps.values())


def test_the_province_reviewer_role_is_held_over_a_province(org):
    role = RoleAssignment(person=org.member1, role=Role.PROVINCE_REVIEWER, agency=org.agency)
    with pytest.raises(ValidationError):
        role.full_clean()


def test_with_no_province_reviewer_the_check_lists_the_agency_heads(org):
    gaps = selectors.people_without_reviewer(D)
    assert [(g.agency, g.unit, g.person) for g in gaps] == [
        (org.agency, org.board, org.leader),
        (org.other_agency, org.other_agency.units.get(parent=None), org.leader_b),
    ]

    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("check_review_line", date=D.isoformat(), stdout=out, stderr=io.StringIO())
    assert exit_.value.code == 1
    assert "leader" in out.getvalue() and "leader_b" in out.getvalue()

    [warning] = checks.review_line_check(databases=["default"])
    assert warning.id == "org.W001"
    assert "2 active members" in warning.msg
    assert checks.review_line_check(databases=None) == []  # a database check only


def test_with_a_province_reviewer_nobody_waits(org, frozen_now, django_assert_max_num_queries):
    province_reviewer(org.agency.province)

    with django_assert_max_num_queries(2 + 3 * 2):  # agencies, 3 per agency's map, the members
        assert selectors.people_without_reviewer(D) == []
    out = io.StringIO()
    call_command("check_review_line", stdout=out)
    assert "Everybody has a reviewer" in out.getvalue()
    assert checks.review_line_check(databases=["default"]) == []


def test_with_the_agency_head_gone_the_board_and_the_units_without_a_head_are_listed(org):
    province_reviewer(org.agency.province)
    board_member = MembershipFactory(unit=org.other_agency.units.get(parent=None)).person
    org.leader_b.memberships.update(end=D - datetime.timedelta(days=1))

    # The province reviewer reviews agency heads only, not whoever has no head above them.
    assert [g.person for g in selectors.people_without_reviewer(D)] == [board_member, org.member_b]
