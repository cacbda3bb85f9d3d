"""Who reviews person P on date D: org.selectors.reviewer_for and its inverse."""

import datetime

import time_machine
from django.utils import timezone

from org import selectors, services
from org.models import Membership

from .factories import DelegationFactory, MembershipFactory

D = datetime.date(2026, 3, 10)


def test_a_member_is_reviewed_by_their_unit_head(org):
    assert selectors.reviewer_for(org.member1, D) == org.head1


def test_a_unit_head_is_reviewed_by_the_agency_leader(org):
    assert selectors.reviewer_for(org.head1, D) == org.leader
    assert selectors.reviewer_for(org.head2, D) == org.leader


def test_a_deputy_leader_is_reviewed_by_the_agency_leader(org):
    assert selectors.reviewer_for(org.deputy, D) == org.leader


def test_the_agency_leader_has_no_reviewer_inside_the_agency(org):
    assert selectors.reviewer_for(org.leader, D) is None


def test_members_of_a_unit_without_head_go_to_the_next_head_up(org):
    assert selectors.reviewer_for(org.orphan, D) == org.leader


def test_a_person_without_membership_on_the_date_has_no_reviewer(org):
    assert selectors.reviewer_for(org.member1, datetime.date(2024, 12, 31)) is None


def test_an_active_delegation_overrides_the_unit_head(org):
    DelegationFactory(delegator=org.head1, delegate=org.member2, start=D, end=D)

    assert selectors.reviewer_for(org.member1, D) == org.member2
    assert selectors.reviewer_for(org.member1, D + datetime.timedelta(days=1)) == org.head1
    assert selectors.reviewer_for(org.member1, D - datetime.timedelta(days=1)) == org.head1


def test_nobody_reviews_themself_even_when_they_are_the_delegate(org):
    DelegationFactory(delegator=org.head1, delegate=org.member2, start=D, end=D)

    # member2 holds head1's rights that day but cannot approve their own work.
    assert selectors.reviewer_for(org.member2, D) == org.head1


def test_a_leaders_delegation_covers_the_unit_heads(org):
    DelegationFactory(delegator=org.leader, delegate=org.deputy, start=D, end=D)

    assert selectors.reviewer_for(org.head1, D) == org.deputy
    assert selectors.reviewer_for(org.member1, D) == org.head1


def test_a_cancelled_delegation_stops_on_the_day_it_is_cancelled(org):
    delegation = DelegationFactory(
        delegator=org.head1,
        delegate=org.member2,
        start=datetime.date(2026, 3, 2),
        end=datetime.date(2026, 3, 20),
    )
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=timezone.get_current_timezone())):
        services.delegation_cancel(delegation=delegation, by=org.head1)

    assert selectors.reviewer_for(org.member1, datetime.date(2026, 3, 9)) == org.member2
    assert selectors.reviewer_for(org.member1, datetime.date(2026, 3, 10)) == org.head1
    assert selectors.reviewer_for(org.member1, datetime.date(2026, 3, 15)) == org.head1


def test_a_transfer_in_the_middle_of_a_month_changes_the_reviewer_from_that_day(org):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, 0, tzinfo=timezone.get_current_timezone())):
        services.person_transfer(person=org.member1, unit=org.unit2, on=datetime.date(2026, 3, 16))

    assert selectors.reviewer_for(org.member1, datetime.date(2026, 3, 15)) == org.head1
    assert selectors.reviewer_for(org.member1, datetime.date(2026, 3, 16)) == org.head2
    history = list(Membership.objects.filter(person=org.member1).order_by("start"))
    assert [(m.unit, m.end) for m in history] == [
        (org.unit1, datetime.date(2026, 3, 15)),
        (org.unit2, None),
    ]


def test_a_new_unit_head_reviews_from_the_day_they_start(org):
    Membership.objects.filter(person=org.head1).update(end=datetime.date(2026, 3, 15))
    new_head = MembershipFactory(unit=org.unit1, is_head=True, start=datetime.date(2026, 3, 16)).person

    assert selectors.reviewer_for(org.member1, datetime.date(2026, 3, 15)) == org.head1
    assert selectors.reviewer_for(org.member1, datetime.date(2026, 3, 16)) == new_head


def test_reviewees_are_exactly_the_people_whose_reviewer_is_the_person(org):
    assert selectors.reviewee_ids(org.head1, D) == {org.member1.pk, org.member2.pk}
    assert selectors.reviewee_ids(org.leader, D) == {
        org.deputy.pk,
        org.head1.pk,
        org.head2.pk,
        org.catalog_manager.pk,
        org.orphan.pk,
    }
    assert selectors.reviewee_ids(org.member1, D) == frozenset()


def test_a_delegate_reviews_the_delegators_people_during_the_delegation(org):
    DelegationFactory(delegator=org.head1, delegate=org.hr, start=D, end=D)

    assert selectors.reviewee_ids(org.hr, D) == {org.member1.pk, org.member2.pk}
    assert selectors.reviewee_ids(org.head1, D) == frozenset()
    assert selectors.reviewee_ids(org.hr, D + datetime.timedelta(days=1)) == frozenset()


def test_the_review_map_of_an_agency_costs_three_queries_whatever_its_size(org, django_assert_num_queries):
    for _ in range(20):
        MembershipFactory(unit=org.unit1)

    with django_assert_num_queries(3):
        reviewers = selectors.review_map(org.agency.pk, D)

    assert len(reviewers) == 8 + 20  # everyone of agency A but its leader
