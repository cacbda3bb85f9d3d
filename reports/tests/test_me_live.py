"""/reports/me/ for the month still going: computed from the person's own diary, not the agency's
(issue 18): the same figures as the agency's computation, in a number of queries that does not grow
with the agency."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from org.tests.factories import MembershipFactory
from reports import services
from worklog.models import DiaryEntry, EntryStatus
from worklog.tests.factories import DiaryEntryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
MARCH = datetime.date(2026, 3, 1)
DAYS = [datetime.date(2026, 3, d) for d in (2, 3, 4, 5, 6, 9)]
ME = reverse("reports:me")


def log(people, unit, stage, status=EntryStatus.APPROVED, quantity="2") -> None:
    DiaryEntry.objects.bulk_create(
        [
            DiaryEntryFactory.build(
                person=person, unit=unit, stage=stage, date=day, status=status, quantity=Decimal(quantity)
            )
            for person in people
            for day in DAYS
        ]
    )


def colleagues(org, n: int, start: int = 0):
    return [MembershipFactory(unit=org.unit2, person__username=f"c{i}").person for i in range(start, n)]


def live_page(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(ME)
    assert response.status_code == 200
    return len(captured), response


def test_my_current_month_costs_the_same_in_a_larger_agency(client, org, diary, frozen_now):
    log([org.member1], org.unit1, diary.budget_review)
    log(colleagues(org, 5), org.unit2, diary.budget_review)
    small, _response = live_page(client, org.member1)

    log(colleagues(org, 50, start=5), org.unit2, diary.budget_review, quantity="3")
    large, response = live_page(client, org.member1)

    assert large == small
    assert response.context["is_live"] is True
    assert response.context["row"].person_id == org.member1.pk


def test_my_current_month_shows_the_agency_computations_figures_for_me(client, org, diary, frozen_now):
    log([org.member1], org.unit1, diary.budget_review)
    log([org.member1], org.unit1, diary.study, status=EntryStatus.SUBMITTED, quantity="1")
    log([org.member2, org.head1], org.unit1, diary.budget_intake, quantity="5")
    everyone = {row.person_id: row for row in services.person_months(org.agency, MARCH)}

    _queries, response = live_page(client, org.member1)

    mine, expected = response.context["row"], everyone[org.member1.pk]
    fields = [f.attname for f in expected._meta.concrete_fields if f.attname != "id"]
    assert {f: getattr(mine, f) for f in fields} == {f: getattr(expected, f) for f in fields}
    assert mine.pending_count == len(DAYS) and mine.approved_minutes > 0


def test_my_month_needs_a_sign_in_and_shows_only_my_own_figures(client, org, diary, frozen_now):
    log([org.member2], org.unit1, diary.budget_review)

    assert client.get(ME).status_code == 302
    _queries, response = live_page(client, org.member1)

    assert response.context["row"].person_id == org.member1.pk
    assert response.context["row"].approved_minutes == 0


def test_an_unknown_month_shows_the_newest_one(client, org, diary, frozen_now):
    log([org.member1], org.unit1, diary.budget_review)
    client.force_login(org.member1)

    response = client.get(ME, {"month": "2026-13"})

    assert response.status_code == 200
    assert response.context["month"] == MARCH
