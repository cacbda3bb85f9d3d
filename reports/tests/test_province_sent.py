"""Province HR's list of sent months: every agency of the province per month, sent or not, by whom,
when, due by the 25th of the next month, overdue ones marked."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from org.models import Role
from org.tests.factories import AgencyFactory, RoleAssignmentFactory, UserFactory
from reports.models import MonthSent

pytestmark = pytest.mark.django_db
URL = reverse("reports:province_sent")
MARCH = datetime.date(2026, 3, 1)
# 30/04/2026: March's results were due on 25/04.
AFTER_DUE = datetime.datetime(2026, 4, 30, 9, tzinfo=datetime.UTC)


@pytest.fixture
def noivu(org):
    """Province HR, as the demo's ``noivu``: the role held over the province, not over an agency."""
    person = UserFactory(username="noivu")
    RoleAssignmentFactory(person=person, role=Role.HR, agency=None, province=org.agency.province)
    return person


def rows(response):
    return {(r.agency.code, r.month): r for r in response.context["page"].object_list}


def test_province_hr_sees_every_agency_sent_or_overdue_with_who_and_when(client, org, noivu):
    MonthSent.objects.create(agency=org.agency, month=MARCH, sent_by=org.hr)
    client.force_login(noivu)
    with time_machine.travel(AFTER_DUE, tick=False):
        response = client.get(URL, {"year": 2026, "month": 3})

    assert response.status_code == 200
    found = rows(response)
    assert set(found) == {("STC", MARCH), ("SXD", MARCH)}
    sent, unsent = found[("STC", MARCH)], found[("SXD", MARCH)]
    assert (sent.sent.sent_by, sent.overdue, unsent.sent, unsent.overdue) == (org.hr, False, None, True)
    assert unsent.due == datetime.date(2026, 4, 25)
    page = response.content.decode()
    assert org.hr.full_name in page and "25/04/2026" in page
    assert 'data-testid="overdue"' in page


def test_an_unsent_month_before_its_due_day_is_not_overdue(client, org, noivu):
    client.force_login(noivu)
    with time_machine.travel(datetime.datetime(2026, 4, 20, 9, tzinfo=datetime.UTC), tick=False):
        response = client.get(URL, {"year": 2026, "month": 3})
    assert not any(r.overdue for r in rows(response).values())
    assert 'data-testid="overdue"' not in response.content.decode()


def test_by_default_it_lists_last_month_and_a_year_lists_its_months_begun(client, org, noivu):
    client.force_login(noivu)
    with time_machine.travel(AFTER_DUE, tick=False):
        default = client.get(URL)
        year = client.get(URL, {"year": 2026, "month": ""})
    assert {m for _c, m in rows(default)} == {MARCH}
    assert {m for _c, m in rows(year)} == {datetime.date(2026, m, 1) for m in (1, 2, 3, 4)}


@pytest.mark.parametrize("who", ["hr", "leader", "member1", "leader_b"])
def test_agency_staff_and_leaders_get_a_403_and_no_menu_link(client, org, noivu, who):
    client.force_login(getattr(org, who))
    assert client.get(URL).status_code == 403
    assert URL not in client.get(reverse("home")).content.decode()


def test_the_menu_links_it_for_province_hr(client, org, noivu):
    client.force_login(noivu)
    assert URL in client.get(reverse("home")).content.decode()


def test_a_bad_filter_is_refused_with_a_message_and_the_default_month_shown(client, org, noivu):
    client.force_login(noivu)
    with time_machine.travel(AFTER_DUE, tick=False):
        response = client.get(URL, {"year": "abc", "month": "13"})
    assert response.status_code == 400
    assert response.context["form"].errors
    assert {m for _c, m in rows(response)} == {MARCH}


def test_the_query_count_does_not_grow_with_the_number_of_agencies(
    client, org, noivu, django_assert_max_num_queries
):
    client.force_login(noivu)
    with time_machine.travel(AFTER_DUE, tick=False):
        client.get(URL, {"year": 2026})
        with django_assert_max_num_queries(12) as few:
            client.get(URL, {"year": 2026})
        for n in range(12):
            agency = AgencyFactory(code=f"S{n:02d}", province=org.agency.province)
            MonthSent.objects.create(agency=agency, month=MARCH, sent_by=org.hr)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(URL, {"year": 2026})
    assert len(response.context["page"].object_list) == 50  # 14 agencies × 4 months, paginated
