"""Each permission of evaluation/rules.py, for an outsider (another agency), a member, a unit head,
the leader and HR of agency A. The evaluation is member1's, of this month."""

import datetime

import pytest

from evaluation.models import DisciplinaryMeasure, MonthlyEvaluation
from org.models import Role
from org.tests.factories import TODAY, RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.usefixtures("frozen_now")

ROLES = ["member_b", "member1", "head1", "leader", "hr"]


def holders(org, perm, obj=None) -> set[str]:
    return {who for who in ROLES if getattr(org, who).has_perm(perm, obj)}


@pytest.fixture
def evaluation(org):
    return MonthlyEvaluation(
        person=org.member1, agency=org.agency, unit=org.unit1, month=TODAY.replace(day=1)
    )


def test_the_evaluation_pages_by_role(org):
    assert holders(org, "evaluation.view_evaluations") == set(ROLES)
    assert holders(org, "evaluation.score_evaluations") == {"head1", "leader"}
    assert not UserFactory().has_perm("evaluation.view_evaluations")


def test_who_does_what_with_a_monthly_evaluation(org, evaluation):
    assert holders(org, "evaluation.view_evaluation", evaluation) == {"member1", "head1", "leader", "hr"}
    assert holders(org, "evaluation.self_assess", evaluation) == {"member1"}
    assert holders(org, "evaluation.appeal_evaluation", evaluation) == {"member1"}
    assert holders(org, "evaluation.score_evaluation", evaluation) == {"head1"}
    assert holders(org, "evaluation.finalise_evaluation", evaluation) == {"leader"}
    assert holders(org, "evaluation.decide_appeal", evaluation) == {"leader"}


def test_nobody_finalises_their_own_evaluation_not_even_a_leader(org):
    own = MonthlyEvaluation(person=org.leader, agency=org.agency, unit=org.board, month=TODAY.replace(day=1))

    assert not org.leader.has_perm("evaluation.finalise_evaluation", own)
    assert org.deputy.has_perm("evaluation.finalise_evaluation", own)


def test_the_supervisor_of_a_past_month_is_the_one_of_its_last_day(org):
    february = MonthlyEvaluation(
        person=org.member1, agency=org.agency, unit=org.unit1, month=datetime.date(2026, 2, 1)
    )
    org.member1.memberships.update(start=datetime.date(2026, 3, 1))

    assert not org.head1.has_perm("evaluation.score_evaluation", february)


def test_the_agency_month_weights_and_measures(org):
    assert holders(org, "evaluation.view_agency_evaluations", org.agency) == {"leader", "hr"}
    assert holders(org, "evaluation.finalise_month", org.agency) == {"leader"}
    assert holders(org, "evaluation.edit_scheme", org.agency) == set()
    measure = DisciplinaryMeasure(person=org.member1, decided_on=TODAY)
    assert holders(org, "evaluation.record_measure", measure) == {"hr"}

    RoleAssignmentFactory(person=org.hr, role=Role.ADMINISTRATOR, agency=org.agency)
    hr = type(org.hr).objects.get(pk=org.hr.pk)  # a fresh user: the access scope is read once per request
    assert hr.has_perm("evaluation.edit_scheme", org.agency)
