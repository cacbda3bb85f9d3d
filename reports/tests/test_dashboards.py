"""Dashboards and exports: each reader sees their own scope, with a fixed number of queries."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from org.models import StaleMonth
from org.tests.factories import MembershipFactory
from reports.services import month_compute

from .fixtures import APRIL

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.fixture
def computed(org, april):
    month_compute(agency=org.agency, month=APRIL)
    month_compute(agency=org.other_agency, month=APRIL)


def as_user(client, user):
    client.force_login(user)
    return client


def agency_url(org, **params):
    url = reverse("reports:agency", args=[org.agency.code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_hr_sees_the_agencys_month_with_staffing_and_charts(client, org, computed):
    response = as_user(client, org.hr).get(agency_url(org, month="2025-04"))
    text = response.content.decode()
    assert response.status_code == 200
    assert response.context["rollup"].headcount == 9
    assert 'data-testid="surplus"' in text and "7,2" in text  # 9 − 1,78 posts
    main = text.split("<main", 1)[-1].split("</main>")[0]  # the page's charts, not the menu's icons
    assert main.count("<svg") == 4
    charts = response.context["charts"].values()
    assert all("<script" not in chart and "<image" not in chart for chart in charts)


def test_the_unit_filter_narrows_figures_and_people(client, org, computed):
    response = as_user(client, org.leader).get(agency_url(org, month="2025-04", unit=org.unit1.pk))
    assert response.context["rollup"].headcount == 3
    assert {r.person for r in response.context["page"].object_list} == {org.head1, org.member1, org.member2}


def test_bad_filters_fall_back_to_the_latest_month_without_an_error_page(client, org, computed):
    response = as_user(client, org.hr).get(agency_url(org, month="1999-13", unit="abc"))
    assert response.status_code == 200
    assert response.context["month"] == APRIL
    assert response.context["form"].errors


@pytest.mark.parametrize(
    ("who", "status"), [("member1", 403), ("head1", 403), ("member_b", 404), ("leader_b", 404)]
)
def test_the_agency_dashboard_is_refused_to_its_staff_and_hidden_from_other_agencies(
    client, org, computed, who, status
):
    assert as_user(client, getattr(org, who)).get(agency_url(org)).status_code == status
    export = reverse("reports:export", args=[org.agency.code, "csv"])
    assert as_user(client, getattr(org, who)).get(export).status_code == status


def test_the_unit_head_sees_their_unit_only(client, org, computed):
    client = as_user(client, org.head1)
    response = client.get(reverse("reports:unit", args=[org.unit1.pk]))
    assert response.status_code == 200
    assert response.context["rollup"].headcount == 3
    assert client.get(reverse("reports:unit", args=[org.unit2.pk])).status_code == 403
    assert as_user(client, org.member1).get(reverse("reports:unit", args=[org.unit1.pk])).status_code == 403
    other_unit = org.member_b.memberships.get().unit
    assert as_user(client, org.head1).get(reverse("reports:unit", args=[other_unit.pk])).status_code == 404


def test_everyone_lands_on_their_own_dashboard(client, org, computed):
    assert as_user(client, org.hr).get(reverse("reports:index")).url == agency_url(org)
    assert as_user(client, org.head1).get(reverse("reports:index")).url == reverse(
        "reports:unit", args=[org.unit1.pk]
    )
    assert as_user(client, org.member1).get(reverse("reports:index")).url == reverse("reports:me")


def test_my_month_shows_my_figures_and_the_current_month_live(client, org, computed, frozen_now):
    client = as_user(client, org.member1)
    response = client.get(reverse("reports:me"), {"month": "2025-04"})
    assert response.context["row"].person == org.member1
    assert 'data-testid="my-hours-per-day"' in response.content.decode()
    assert "5,71" in response.content.decode()
    live = client.get(reverse("reports:me"))
    assert live.context["is_live"] is True
    assert live.context["month"].month == 3


def test_the_dashboard_runs_a_fixed_number_of_queries(client, org, computed, django_assert_max_num_queries):
    for n in range(60):
        MembershipFactory(unit=org.unit2, person__username=f"p{n}")
    month_compute(agency=org.agency, month=APRIL)
    client = as_user(client, org.hr)
    # 21: HR's session names the device of their second factor (org/otp.py), read on each request.
    with django_assert_max_num_queries(21):
        response = client.get(agency_url(org, month="2025-04", page=2))
    assert len(response.context["page"].object_list) == 19
    with django_assert_max_num_queries(21):
        client.get(reverse("reports:unit", args=[org.unit2.pk]))


def test_the_csv_export_follows_the_filters(client, org, computed):
    response = as_user(client, org.hr).get(
        reverse("reports:export", args=[org.agency.code, "csv"]), {"month": "2025-04", "unit": org.unit1.pk}
    )
    assert response["Content-Disposition"] == 'attachment; filename="so-lieu-STC-2025-04-NS.csv"'
    text = response.content.decode("utf-8-sig")
    assert text.split("\r\n")[0].count(";") >= 7  # semicolons and decimal commas: Excel in Vietnamese
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 4
    member1 = next(r for r in rows if r[2] == "member1")
    assert member1[3:8] == ["21", "21", "120,0", "5,71", "71"]  # the digits of the page


def test_the_xlsx_export_has_numbers_and_defuses_formulas(client, org, computed):
    org.member2.full_name = '=HYPERLINK("http://evil.example")'
    org.member2.save()
    response = as_user(client, org.leader).get(
        reverse("reports:export", args=[org.agency.code, "xlsx"]), {"month": "2025-04"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = {row[2].value: row for row in sheet.iter_rows(min_row=2)}
    assert rows["member1"][6].value == 5.71
    assert rows["member2"][1].data_type == "s"
    assert rows["member2"][1].value.startswith("=HYPERLINK")


def test_an_unknown_export_format_is_not_found(client, org, computed):
    assert (
        as_user(client, org.hr).get(reverse("reports:export", args=[org.agency.code, "pdf"])).status_code
        == 404
    )


def test_a_month_with_changes_waiting_to_be_computed_says_it_is_being_updated(client, org, computed):
    from org.figures import months_changed
    from reports.services import stale_month_recompute

    hr = as_user(client, org.hr)
    assert 'data-testid="updating"' not in hr.get(agency_url(org, month="2025-04")).content.decode()

    months_changed({(org.agency.pk, APRIL)})  # an approval committed, its recompute not run yet

    assert 'data-testid="updating"' in hr.get(agency_url(org, month="2025-04")).content.decode()
    head = as_user(client, org.head1).get(reverse("reports:unit", args=[org.unit1.pk]) + "?month=2025-04")
    assert 'data-testid="updating"' in head.content.decode()
    # Another month of the same agency is not touched by it.
    assert not StaleMonth.objects.exclude(month=APRIL).exists()

    stale_month_recompute(agency_id=org.agency.pk, month=APRIL)

    text = as_user(client, org.hr).get(agency_url(org, month="2025-04")).content.decode()
    assert 'data-testid="updating"' not in text


def test_each_person_leads_to_their_months_entries_and_shows_their_units_name(client, org, computed):
    response = as_user(client, org.hr).get(agency_url(org, month="2025-04", unit=org.unit1.pk))
    text = response.content.decode()

    link = reverse("evaluation:person_month", args=[org.member1.pk, 2025, 4])
    assert f'href="{link}"' in text
    assert org.unit1.name in text.split('data-testid="people"')[1]
    opened = client.get(link, follow=True)  # HR reads the month: its entries and score
    assert opened.status_code == 200 and org.member1.full_name in opened.content.decode()


def test_an_open_month_is_labelled_provisional_and_a_closed_one_is_not(client, org, computed):
    import datetime

    import time_machine

    client = as_user(client, org.hr)
    # April 2025's last working day is Tuesday 29/04 (30/04 and 01/05 are holidays).
    with time_machine.travel(datetime.datetime(2025, 4, 29, 9, tzinfo=datetime.UTC), tick=False):
        page = client.get(agency_url(org, month="2025-04")).content.decode()
        unit_page = client.get(reverse("reports:unit", args=[org.unit1.pk]), {"month": "2025-04"})
    assert 'data-testid="provisional"' in page and "Tháng này chưa khóa sổ" in page
    assert page.count("tạm tính") == 2  # the staffing need and the surplus
    assert 'data-testid="provisional"' in unit_page.content.decode()
    with time_machine.travel(datetime.datetime(2025, 5, 2, 9, tzinfo=datetime.UTC), tick=False):
        page = client.get(agency_url(org, month="2025-04")).content.decode()
    assert 'data-testid="provisional"' not in page and "tạm tính" not in page
