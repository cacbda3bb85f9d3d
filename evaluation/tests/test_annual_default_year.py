"""The annual pages open on the year HR works on: last year in January, else the current year."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from org.tests.factories import NOW

pytestmark = pytest.mark.django_db


def at(year, month, day):
    return time_machine.travel(datetime.datetime(year, month, day, 9, tzinfo=NOW.tzinfo), tick=False)


@pytest.mark.parametrize(
    ("day", "shown"),
    [
        ((2027, 1, 2), 2026),  # January: last year's ratings (appeals, the list, the PDF)
        ((2027, 1, 31), 2026),
        ((2027, 2, 1), 2027),
        ((2026, 12, 16), 2026),  # after the deadline, still the year that ends
        ((2026, 6, 15), 2026),
    ],
)
def test_the_annual_list_opens_on_last_year_in_january_only(client, org, day, shown):
    with at(*day):
        client.force_login(org.hr)
        response = client.get(reverse("evaluation:annual_list", args=[org.agency.code]))
    assert response.status_code == 200
    assert response.context["year"] == shown


def test_a_year_asked_for_wins_and_a_bad_one_falls_back_to_last_year_in_january(client, org):
    url = reverse("evaluation:annual_list", args=[org.agency.code])
    with at(2027, 1, 10):
        client.force_login(org.hr)
        assert client.get(url, {"year": 2027}).context["year"] == 2027
        assert client.get(url, {"year": "abc"}).context["year"] == 2026
        assert client.get(url, {"year": 2031}).context["year"] == 2026


def test_my_annual_page_opens_on_last_year_in_january(client, org):
    with at(2027, 1, 10):
        client.force_login(org.member1)
        response = client.get(reverse("evaluation:annual_mine"))
    assert response.context["year"] == 2026
