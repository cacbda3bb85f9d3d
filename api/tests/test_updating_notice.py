"""The stored figures say when the month has changes waiting to be computed (``org.figures``)."""

import pytest

from org.figures import months_changed
from org.models import StaleMonth

from .conftest import MARCH

pytestmark = pytest.mark.django_db

URL = "/api/v1/figures/"
UNITS = "/api/v1/figures/units/"


@pytest.mark.parametrize("url", [URL, UNITS])
def test_a_month_without_changes_waiting_is_not_being_updated(stc, march, url):
    rows = stc.api.get(url, {"month": "2026-03"}).json()["results"]

    assert rows
    assert {row["being_updated"] for row in rows} == {False}


@pytest.mark.parametrize("url", [URL, UNITS])
def test_a_month_with_changes_waiting_says_it_is_being_updated(stc, sxd, march, org, url):
    months_changed({(org.agency.pk, MARCH)})

    rows = stc.api.get(url, {"month": "2026-03"}).json()["results"]

    assert rows
    assert {row["being_updated"] for row in rows} == {True}
    # The other agency's month is not touched by it.
    others = sxd.api.get(url, {"month": "2026-03"}).json()["results"]
    assert {row["being_updated"] for row in others} == {False}


def test_another_month_of_the_agency_is_not_being_updated(stc, march, org):
    months_changed({(org.agency.pk, MARCH.replace(month=2))})
    assert StaleMonth.objects.filter(agency=org.agency).exists()

    rows = stc.api.get(URL, {"month": "2026-03", "unit": "NS"}).json()["results"]

    assert {row["being_updated"] for row in rows} == {False}


@pytest.mark.parametrize("url", [URL, UNITS])
def test_saying_so_takes_no_query_of_its_own(stc, march, org, url, django_assert_max_num_queries):
    months_changed({(org.agency.pk, MARCH)})

    with django_assert_max_num_queries(4):  # as many as without (test_figures.py)
        response = stc.api.get(url, {"month": "2026-03"})

    assert response.status_code == 200


def test_the_schema_describes_the_field(client):
    import yaml

    schema = yaml.safe_load(client.get("/api/schema/").content)["components"]["schemas"]

    for name in ("PersonMonth", "UnitMonth"):
        assert schema[name]["properties"]["being_updated"]["type"] == "boolean"
        assert "being_updated" in schema[name]["required"]
