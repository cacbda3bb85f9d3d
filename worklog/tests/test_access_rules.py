"""Each permission of worklog/rules.py, for an outsider (another agency), a member, a unit head,
the leader and HR of agency A. The entry is member1's, of today."""

import datetime

import pytest

from org.tests.factories import TODAY, DelegationFactory, UserFactory
from worklog.models import DayReopening, DiaryEntry

pytestmark = pytest.mark.usefixtures("frozen_now")

ROLES = ["member_b", "member1", "head1", "leader", "hr"]


def holders(org, perm, obj=None) -> set[str]:
    return {who for who in ROLES if getattr(org, who).has_perm(perm, obj)}


@pytest.fixture
def entry(org):
    return DiaryEntry(person=org.member1, unit=org.unit1, agency=org.agency, date=TODAY)


def test_everyone_of_an_agency_keeps_a_diary_and_only_their_own(org):
    assert holders(org, "worklog.keep_diary") == set(ROLES)
    assert holders(org, "worklog.write_diary", org.member1) == {"member1"}
    assert not UserFactory().has_perm("worklog.keep_diary")


def test_an_entry_is_read_by_its_owner_reviewer_and_agency_and_changed_by_its_owner(org, entry):
    assert holders(org, "worklog.view_entry", entry) == {"member1", "head1", "leader", "hr"}
    assert holders(org, "worklog.change_entry", entry) == {"member1"}
    assert holders(org, "worklog.review_entry", entry) == {"head1"}
    assert holders(org, "worklog.exempt_entry", entry) == {"leader"}


def test_the_reviewer_is_the_one_of_the_entrys_day(org, entry):
    day = TODAY - datetime.timedelta(days=1)
    DelegationFactory(delegator=org.head1, delegate=org.member2, start=day, end=day)
    yesterdays = DiaryEntry(person=org.member1, unit=org.unit1, agency=org.agency, date=day)

    assert not org.head1.has_perm("worklog.review_entry", yesterdays)
    assert org.member2.has_perm("worklog.review_entry", yesterdays)
    assert not org.member1.has_perm("worklog.review_entry", DiaryEntry(person=org.member1, date=day))


def test_hr_reopens_approved_entries_and_reviewers_and_hr_reopen_days(org):
    assert holders(org, "worklog.reopen_entries", org.agency) == {"hr"}
    assert holders(org, "worklog.reopen_day", DayReopening(person=org.member1, date=TODAY)) == {"head1", "hr"}
    assert not org.hr.has_perm("worklog.reopen_day", DayReopening(person=org.hr, date=TODAY))


def test_a_superuser_reviews_nobody_they_do_not_review(org, entry):
    root = UserFactory(username="root", is_superuser=True)

    assert root.has_perm("worklog.view_entry", entry)
    assert root.has_perm("worklog.reopen_entries", org.agency)
    assert not root.has_perm("worklog.review_entry", entry)
    assert not root.has_perm("worklog.change_entry", entry)
