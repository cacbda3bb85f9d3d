"""The permission of review/rules.py, for an outsider (another agency's staff), a member, a unit
head, the leader and HR of agency A; and a delegate, who reviews only while the delegation lasts."""

import datetime

import pytest

from org.tests.factories import TODAY, DelegationFactory

pytestmark = pytest.mark.usefixtures("frozen_now")

ROLES = ["member_b", "member1", "head1", "leader", "hr"]


def test_unit_heads_use_the_review_queue(org):
    assert {who for who in ROLES if getattr(org, who).has_perm("review.review_entries")} == {
        "head1",
        "leader",
    }
    assert org.leader_b.has_perm("review.review_entries")


def test_a_delegate_uses_it_while_the_delegation_lasts(org):
    tomorrow = TODAY + datetime.timedelta(days=1)
    DelegationFactory(delegator=org.head1, delegate=org.member2, start=TODAY, end=TODAY)
    DelegationFactory(delegator=org.head2, delegate=org.hr, start=tomorrow, end=tomorrow)

    assert org.member2.has_perm("review.review_entries")
    assert not org.hr.has_perm("review.review_entries")
