"""The province reviewer's queue: the agency heads' waiting entries of their province, approved like
any other; nothing for a leader of another province, an outsider or the province's HR."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from org.models import AuditEvent, Role
from org.tests.factories import (
    AgencyFactory,
    MembershipFactory,
    ProvinceFactory,
    RoleAssignmentFactory,
    UserFactory,
    root_unit,
)
from review import services
from worklog.models import EntryStatus

from .fixtures import MONDAY, submitted
from .test_queue_views import approve_data, as_user
from .test_review_services import approvals

pytestmark = pytest.mark.django_db
QUEUE = reverse("review:queue")
APPROVE = reverse("review:approve")


@pytest.fixture
def ubnd(org):
    person = UserFactory(username="ubnd", full_name="Trần Hòa Bình")
    RoleAssignmentFactory(
        person=person, role=Role.PROVINCE_REVIEWER, agency=None, province=org.agency.province
    )
    return person


@pytest.fixture
def leader_monday(org, diary, review):
    return submitted(org.leader, org.board, diary.budget_intake, MONDAY, "2")


def test_the_province_reviewer_sees_the_agency_heads_entries_only(client, org, ubnd, review, leader_monday):
    response = as_user(client, ubnd).get(QUEUE)

    assert response.status_code == 200
    days = response.context["page"].object_list
    assert [(d.person, [e.pk for e in d.entries]) for d in days] == [(org.leader, [leader_monday.pk])]


def test_the_province_reviewer_approves_an_agency_heads_day(client, org, ubnd, leader_monday):
    response = as_user(client, ubnd).post(APPROVE, approve_data(leader_monday))

    assert response.status_code == 302
    leader_monday.refresh_from_db()
    assert leader_monday.status == EntryStatus.APPROVED
    assert leader_monday.reviewed_by == ubnd
    assert AuditEvent.objects.filter(action="entry.approved", person=org.leader, actor=ubnd).exists()


def test_the_province_reviewer_cannot_approve_anybody_else(org, ubnd, review):
    with pytest.raises(PermissionDenied):
        services.entries_approve(approvals=approvals(review.head1_monday), by=ubnd)
    assert review.head1_monday.status == EntryStatus.SUBMITTED


def test_the_agency_leader_does_not_review_their_own_entries(client, org, ubnd, leader_monday):
    days = as_user(client, org.leader).get(QUEUE).context["page"].object_list
    assert leader_monday.pk not in {e.pk for d in days for e in d.entries}


def test_a_leader_of_another_province_and_outsiders_get_nothing(client, org, ubnd, leader_monday):
    elsewhere = AgencyFactory(code="STC.DNG", province=ProvinceFactory(code="DNG", name="Thành phố Đà Nẵng"))
    other_leader = MembershipFactory(unit=root_unit(elsewhere), is_head=True).person
    RoleAssignmentFactory(person=other_leader, role=Role.LEADER, agency=elsewhere)
    other_reviewer = UserFactory(username="ubnd.dng")
    RoleAssignmentFactory(
        person=other_reviewer, role=Role.PROVINCE_REVIEWER, agency=None, province=elsewhere.province
    )
    province_hr = UserFactory(username="noivu")
    RoleAssignmentFactory(person=province_hr, role=Role.HR, agency=None, province=org.agency.province)

    days = as_user(client, other_leader).get(QUEUE).context["page"].object_list
    assert list(days) == []
    for outsider in (org.member_b, province_hr):
        assert as_user(client, outsider).get(QUEUE).status_code == 403
    # The reviewer of another province reaches the queue (they review that province's heads) but
    # finds and may approve nothing of this one.
    assert list(as_user(client, other_reviewer).get(QUEUE).context["page"].object_list) == []
    as_user(client, other_reviewer).post(APPROVE, approve_data(leader_monday))
    leader_monday.refresh_from_db()
    assert leader_monday.status == EntryStatus.SUBMITTED
