"""Who reads which figures and reports, as django-rules predicates on ``org.selectors.access_scope``.

An agency's figures and its quarterly and monthly reports belong to those who read the whole
agency (leaders, HR, administrators, province scope); a unit's figures also to its head; a
person's monthly sheet also to the person and to whoever reviews them today. The rule of a
report is the same for asking for it (an unsaved ``ReportJob``), following it and downloading it.
"""

import rules

from org.models import Membership, Role
from org.rules import knows_agency, reads_an_agency
from org.selectors import access_scope, today

from .models import ReportKind


@rules.predicate
def has_figures(user) -> bool:
    """Belongs to an agency (their own month) or reads one."""
    scope = access_scope(user)
    return bool(scope.member_agency_ids or scope.agency_ids or scope.province_ids or scope.everything)


@rules.predicate
def reads_agency_figures(user, agency) -> bool:
    return agency is not None and access_scope(user).reads_agency(agency)


@rules.predicate
def heads_unit_today(user, unit) -> bool:
    return (
        unit is not None
        and Membership.objects.active_on(today()).filter(person=user, unit=unit, is_head=True).exists()
    )


@rules.predicate
def reads_unit_figures(user, unit) -> bool:
    return unit is not None and (reads_agency_figures(user, unit.agency) or heads_unit_today(user, unit))


@rules.predicate
def reads_report(user, job) -> bool:
    if job is None or job.agency is None:
        return False
    scope = access_scope(user)
    if scope.reads_agency(job.agency):
        return True
    if job.kind != ReportKind.PERSON_MONTH or job.person_id is None:
        return False
    return job.person_id == user.pk or job.person_id in scope.reviewee_ids


@rules.predicate
def knows_job_agency(user, job) -> bool:
    """A report job belongs to its agency: its staff learn that it exists, nobody else."""
    return job is not None and knows_agency(user, job.agency)


rules.add_perm("reports.view_reports", rules.is_active & has_figures)
rules.add_perm("reports.view_agency_figures", rules.is_active & reads_agency_figures)
rules.add_perm("reports.view_unit_figures", rules.is_active & reads_unit_figures)
rules.add_perm("reports.request_agency_reports", rules.is_active & reads_an_agency)
rules.add_perm("reports.view_job", rules.is_active & (reads_report | knows_job_agency))
rules.add_perm("reports.read_report", rules.is_active & reads_report)


@rules.predicate
def sends_agency_results(user, agency) -> bool:
    """The agency's HR (or administrator) sends its monthly results to the Department of Home Affairs."""
    return agency is not None and access_scope(user).has_role(agency, Role.HR, Role.ADMINISTRATOR)


rules.add_perm("reports.mark_month_sent", rules.is_active & sends_agency_results)


# Roles held with province scope that follow every agency's sending to the Department of Home Affairs.
PROVINCE_SENDING_ROLES = (Role.HR, Role.ADMINISTRATOR)


def province_sending_ids(user) -> frozenset[int]:
    """The provinces whose agencies' sending ``user`` follows (province HR or administrators)."""
    scope = access_scope(user)
    return frozenset(p for p, role in scope.province_roles if role in PROVINCE_SENDING_ROLES)


@rules.predicate
def follows_province_sending(user) -> bool:
    return bool(province_sending_ids(user))


rules.add_perm("reports.view_province_sent", rules.is_active & follows_province_sending)
