"""Every page of stored month figures says "being updated" while the month has changes waiting to be computed.

The unit's and the agency's dashboards are also covered by test_dashboards.py; here the person's own month,
the month still going (computed on the spot, so never behind) and the number of queries.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from org.figures import months_changed
from org.tests.factories import TODAY
from reports.services import month_compute, stale_month_recompute

from .fixtures import APRIL

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

NOTICE = 'data-testid="updating"'


@pytest.fixture
def computed(org, april):
    month_compute(agency=org.agency, month=APRIL)
    month_compute(agency=org.other_agency, month=APRIL)


def page(client, user, name, *args, **params):
    client.force_login(user)
    response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200
    return response


def my_april(client, org):
    return page(client, org.member1, "reports:me", month="2025-04")


def test_my_month_says_it_is_being_updated_while_changes_wait(client, org, computed):
    assert NOTICE not in my_april(client, org).content.decode()

    months_changed({(org.agency.pk, APRIL)})  # e.g. an approval committed, its recompute not run yet

    response = my_april(client, org)
    assert response.context["updating"] is True
    assert NOTICE in response.content.decode()
    assert "Đang cập nhật" in response.content.decode()

    stale_month_recompute(agency_id=org.agency.pk, month=APRIL)

    assert NOTICE not in my_april(client, org).content.decode()


def test_another_agencys_or_months_changes_do_not_touch_my_month(client, org, computed):
    months_changed({(org.other_agency.pk, APRIL), (org.agency.pk, APRIL.replace(month=5))})

    assert NOTICE not in my_april(client, org).content.decode()


def test_the_month_still_going_is_computed_on_the_spot_and_never_behind(client, org, computed, frozen_now):
    months_changed({(org.agency.pk, TODAY.replace(day=1))})

    response = page(client, org.member1, "reports:me")

    assert response.context["is_live"] is True
    assert NOTICE not in response.content.decode()


@pytest.mark.parametrize(
    ("who", "name", "args"),
    [
        ("member1", "reports:me", ()),
        ("head1", "reports:unit", ("unit1",)),
        ("hr", "reports:agency", ("agency",)),
    ],
)
def test_every_dashboard_of_the_month_says_so(client, org, computed, who, name, args):
    objects = {"unit1": org.unit1.pk, "agency": org.agency.code}
    url_args = [objects[a] for a in args]

    before = page(client, getattr(org, who), name, *url_args, month="2025-04")
    months_changed({(org.agency.pk, APRIL)})
    after = page(client, getattr(org, who), name, *url_args, month="2025-04")

    assert NOTICE not in before.content.decode()
    assert NOTICE in after.content.decode()


def test_saying_so_adds_no_query(client, org, computed, django_assert_max_num_queries):
    client.force_login(org.member1)
    client.get(reverse("reports:me"), {"month": "2025-04"})  # the session, once
    with CaptureQueriesContext(connection) as without:
        client.get(reverse("reports:me"), {"month": "2025-04"})
    months_changed({(org.agency.pk, APRIL)})

    with django_assert_max_num_queries(len(without)):
        response = client.get(reverse("reports:me"), {"month": "2025-04"})

    assert NOTICE in response.content.decode()
    assert len(without) <= 25  # the month still going is computed on the spot too
