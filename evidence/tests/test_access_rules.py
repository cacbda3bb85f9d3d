"""Each permission of evidence/rules.py, for an outsider (another agency), a member, a unit head,
the leader and HR of agency A. The flag is on member1's entry of today."""

import pytest

from evidence.models import EntryFlag, FlagKind
from org.models import Role
from org.tests.factories import TODAY, RoleAssignmentFactory
from worklog.models import DiaryEntry

pytestmark = pytest.mark.usefixtures("frozen_now")

ROLES = ["member_b", "member1", "head1", "leader", "hr"]


def holders(org, perm, obj=None) -> set[str]:
    return {who for who in ROLES if getattr(org, who).has_perm(perm, obj)}


def test_hr_and_administrators_import_the_evidence_of_their_agency(org):
    assert holders(org, "evidence.import_evidence", org.agency) == {"hr"}
    RoleAssignmentFactory(person=org.leader_b, role=Role.ADMINISTRATOR, agency=org.other_agency)
    assert org.leader_b.has_perm("evidence.import_evidence", org.other_agency)
    assert not org.leader_b.has_perm("evidence.import_evidence", org.agency)


def test_the_owner_justifies_a_flag_and_the_reviewer_clears_it(org):
    entry = DiaryEntry(person=org.member1, unit=org.unit1, agency=org.agency, date=TODAY)
    flag = EntryFlag(entry=entry, kind=FlagKind.DOCUMENT_MISSING)

    assert holders(org, "evidence.view_flag", flag) == {"member1", "head1", "leader", "hr"}
    assert holders(org, "evidence.justify_flag", flag) == {"member1"}
    assert holders(org, "evidence.clear_flag", flag) == {"head1"}
