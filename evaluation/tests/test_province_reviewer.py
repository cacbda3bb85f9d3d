"""An agency head's monthly evaluation: scored and finalised by the province reviewer (whom the
agency's own leaders cannot replace: nobody finalises their own)."""

import pytest

from evaluation.models import MonthlyEvaluation
from org.models import Role
from org.tests.factories import TODAY, ProvinceFactory, RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.usefixtures("frozen_now")


@pytest.fixture
def ubnd(org):
    person = UserFactory(username="ubnd")
    RoleAssignmentFactory(
        person=person, role=Role.PROVINCE_REVIEWER, agency=None, province=org.agency.province
    )
    return person


def evaluation_of(person, agency, unit):
    return MonthlyEvaluation(person=person, agency=agency, unit=unit, month=TODAY.replace(day=1))


def test_the_province_reviewer_scores_and_finalises_the_agency_heads_month(org, ubnd):
    heads = evaluation_of(org.leader, org.agency, org.board)

    assert ubnd.has_perm("evaluation.score_evaluations")
    assert ubnd.has_perm("evaluation.view_evaluation", heads)
    assert ubnd.has_perm("evaluation.score_evaluation", heads)
    assert ubnd.has_perm("evaluation.finalise_evaluation", heads)
    assert not org.leader.has_perm("evaluation.score_evaluation", heads)
    assert not org.leader.has_perm("evaluation.finalise_evaluation", heads)


def test_the_province_reviewer_decides_nothing_else(org, ubnd):
    members = evaluation_of(org.member1, org.agency, org.unit1)
    unit_heads = evaluation_of(org.head1, org.agency, org.unit1)

    for evaluation in (members, unit_heads):
        assert not ubnd.has_perm("evaluation.view_evaluation", evaluation)
        assert not ubnd.has_perm("evaluation.score_evaluation", evaluation)
        assert not ubnd.has_perm("evaluation.finalise_evaluation", evaluation)
    assert not ubnd.has_perm("evaluation.finalise_month", org.agency)


def test_a_province_reviewer_elsewhere_does_not_finalise_the_head_here(org):
    elsewhere = UserFactory(username="ubnd.dng")
    RoleAssignmentFactory(
        person=elsewhere, role=Role.PROVINCE_REVIEWER, agency=None, province=ProvinceFactory(code="DNG")
    )
    heads = evaluation_of(org.leader, org.agency, org.board)

    assert not elsewhere.has_perm("evaluation.score_evaluation", heads)
    assert not elsewhere.has_perm("evaluation.finalise_evaluation", heads)
