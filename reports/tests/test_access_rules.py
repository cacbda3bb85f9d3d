"""Each permission of reports/rules.py, for an outsider (another agency), a member, a unit head,
the leader and HR of agency A."""

import datetime

import pytest

from org.tests.factories import UserFactory
from reports.models import ReportJob, ReportKind

pytestmark = pytest.mark.usefixtures("frozen_now")

ROLES = ["member_b", "member1", "head1", "leader", "hr"]
MARCH = datetime.date(2026, 3, 1)


def holders(org, perm, obj=None) -> set[str]:
    return {who for who in ROLES if getattr(org, who).has_perm(perm, obj)}


def test_the_figures_by_role(org):
    assert holders(org, "reports.view_reports") == set(ROLES)
    assert not UserFactory().has_perm("reports.view_reports")
    assert holders(org, "reports.view_agency_figures", org.agency) == {"leader", "hr"}
    assert holders(org, "reports.view_unit_figures", org.unit1) == {"head1", "leader", "hr"}
    assert holders(org, "reports.view_unit_figures", org.unit2) == {"leader", "hr"}
    assert holders(org, "reports.request_agency_reports") == {"leader", "hr"}


def test_an_agency_report_is_read_by_its_readers_and_known_to_its_staff(org):
    job = ReportJob(kind=ReportKind.QUARTERLY, agency=org.agency, period=MARCH)

    assert holders(org, "reports.read_report", job) == {"leader", "hr"}
    assert holders(org, "reports.view_job", job) == {"member1", "head1", "leader", "hr"}


def test_a_monthly_sheet_is_read_by_the_person_and_their_reviewer_too(org):
    sheet = ReportJob(kind=ReportKind.PERSON_MONTH, agency=org.agency, period=MARCH, person=org.member1)

    assert holders(org, "reports.read_report", sheet) == {"member1", "head1", "leader", "hr"}
    assert not org.member2.has_perm("reports.read_report", sheet)
    assert org.member2.has_perm("reports.view_job", sheet)
