"""Who may propose, decide, appeal and list annual ratings, as django-rules predicates on
``org.selectors.access_scope`` (the object: an ``AnnualRating``, saved or not, or an agency).

Imported by ``evaluation.annual``, so that every caller of the annual rating has them registered.
"""

import datetime

import rules

from org.models import Role
from org.selectors import access_scope, today

from .rules import is_evaluated, leads_agency, reads_agency


def _reference_day(year: int) -> datetime.date:
    return min(datetime.date(year, 12, 31), today())


@rules.predicate
def proposes_annual(user, annual_rating) -> bool:
    """The person's reviewer on the year's reference day (31/12, or today before it)."""
    if annual_rating is None or annual_rating.person_id == user.pk:
        return False
    return annual_rating.person_id in access_scope(user, _reference_day(annual_rating.year)).reviewee_ids


@rules.predicate
def decides_annual(user, annual_rating) -> bool:
    """A leader of the agency, for somebody else; for an agency head, the province reviewer who
    reviews them (an agency often has no other leader)."""
    if annual_rating is None or annual_rating.person_id == user.pk:
        return False
    if leads_agency(user, annual_rating.agency):
        return True
    return access_scope(user).has_role(annual_rating.agency, Role.PROVINCE_REVIEWER) and proposes_annual(
        user, annual_rating
    )


@rules.predicate
def reads_annual(user, annual_rating) -> bool:
    return annual_rating is not None and access_scope(user).reads_agency(annual_rating.agency)


rules.add_perm("evaluation.view_annual_ratings", rules.is_active & reads_agency)
rules.add_perm("evaluation.decide_annuals", rules.is_active & leads_agency)
rules.add_perm(
    "evaluation.view_annual_rating",
    rules.is_active & (is_evaluated | reads_annual | proposes_annual | decides_annual),
)
rules.add_perm("evaluation.propose_annual", rules.is_active & proposes_annual)
rules.add_perm("evaluation.decide_annual", rules.is_active & decides_annual)
rules.add_perm("evaluation.appeal_annual", rules.is_active & is_evaluated)
