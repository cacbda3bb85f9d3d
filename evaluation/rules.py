"""Who may read, assess, score, finalise and appeal a monthly evaluation, and change an agency's
evaluation settings, as django-rules predicates on ``org.selectors.access_scope``.

The objects: an evaluation, an agency, and an unsaved ``DisciplinaryMeasure`` naming the person
and the date of the decision. The views, the templates, the person page and ``services`` all ask
these; nobody assesses, scores, finalises or decides on their own evaluation but through
``self_assess`` and ``appeal_evaluation``.
"""

import rules

from org.models import Role
from org.rules import reviews_someone
from org.selectors import access_scope, membership_on

from .selectors import reference_day


@rules.predicate
def has_evaluations(user) -> bool:
    """Belongs to an agency (their own evaluations) or holds a role over one."""
    scope = access_scope(user)
    return bool(scope.member_agency_ids or scope.agency_roles or scope.province_roles)


@rules.predicate
def is_evaluated(user, evaluation) -> bool:
    return evaluation is not None and evaluation.person_id == user.pk


@rules.predicate
def scores_evaluation(user, evaluation) -> bool:
    """The person's reviewer on the month's reference day (``selectors.reference_day``)."""
    if evaluation is None or evaluation.person_id == user.pk:
        return False
    return evaluation.person_id in access_scope(user, reference_day(evaluation.month)).reviewee_ids


@rules.predicate
def reads_evaluation_agency(user, evaluation) -> bool:
    return evaluation is not None and access_scope(user).reads_agency(evaluation.agency)


@rules.predicate
def reads_agency(user, agency) -> bool:
    return agency is not None and access_scope(user).reads_agency(agency)


@rules.predicate
def leads_agency(user, agency) -> bool:
    return agency is not None and access_scope(user).has_role(agency, Role.LEADER)


@rules.predicate
def decides_evaluation(user, evaluation) -> bool:
    """A leader of the evaluation's agency, for somebody else's evaluation; and for an agency head's
    evaluation, the province reviewer who scores it (an agency often has no other leader)."""
    if evaluation is None or evaluation.person_id == user.pk:
        return False
    if leads_agency(user, evaluation.agency):
        return True
    return access_scope(user).has_role(evaluation.agency, Role.PROVINCE_REVIEWER) and scores_evaluation(
        user, evaluation
    )


@rules.predicate
def administers_agency(user, agency) -> bool:
    return agency is not None and access_scope(user).has_role(agency, Role.ADMINISTRATOR)


@rules.predicate
def records_measure(user, measure) -> bool:
    """HR or an administrator of the agency the person belonged to on the date of the decision."""
    if measure is None:
        return False
    membership = membership_on(measure.person, measure.decided_on)
    return membership is not None and access_scope(user).has_role(
        membership.unit.agency, Role.HR, Role.ADMINISTRATOR
    )


rules.add_perm("evaluation.view_evaluations", rules.is_active & has_evaluations)
rules.add_perm("evaluation.score_evaluations", rules.is_active & reviews_someone)
rules.add_perm(
    "evaluation.view_evaluation",
    rules.is_active & (is_evaluated | reads_evaluation_agency | scores_evaluation),
)
rules.add_perm("evaluation.self_assess", rules.is_active & is_evaluated)
rules.add_perm("evaluation.score_evaluation", rules.is_active & scores_evaluation)
rules.add_perm("evaluation.finalise_evaluation", rules.is_active & decides_evaluation)
rules.add_perm("evaluation.appeal_evaluation", rules.is_active & is_evaluated)
rules.add_perm("evaluation.decide_appeal", rules.is_active & decides_evaluation)
rules.add_perm("evaluation.view_agency_evaluations", rules.is_active & reads_agency)
rules.add_perm("evaluation.finalise_month", rules.is_active & leads_agency)
rules.add_perm("evaluation.edit_scheme", rules.is_active & administers_agency)
rules.add_perm("evaluation.record_measure", rules.is_active & records_measure)
