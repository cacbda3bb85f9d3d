import pytest

from reports.models import PersonMonth

URL = "/api/v1/figures/"
UNITS = "/api/v1/figures/units/"


def test_the_people_of_the_month_with_their_hours(stc, march):
    response = stc.api.get(URL, {"month": "2026-03"})

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(row["unit"], row["person"]) for row in rows] == [
        ("NS", "head1"),
        ("NS", "member1"),
        ("VP", "hr"),
    ]
    member1 = rows[1]
    assert member1 == {
        "month": "2026-03", "being_updated": False, "person": "member1", "full_name": member1["full_name"],
        "unit": "NS",
        "in_headcount": True, "working_days": 22, "days_with_entries": 0, "approved_hours": 121.0,
        "hours_per_day": 5.5, "share_of_eight": 68.75, "estimate_hours_per_day": 0.0, "pending_count": 2,
        "returned_count": 0, "days_over_eight": 0, "missing_evidence": 0, "score": 82.5, "rating": "good",
    }  # fmt: skip
    assert rows[0]["days_over_eight"] == 3
    assert rows[0]["rating"] is None


def test_hours_are_rounded_to_two_decimals(stc, march, org):
    PersonMonth.objects.filter(person=org.hr).update(approved_minutes=1000)

    hr = stc.api.get(URL, {"month": "2026-03", "unit": "VP"}).json()["results"][0]

    assert hr["approved_hours"] == 16.67
    assert hr["hours_per_day"] == 0.76  # 16.666… ÷ 22 = 0.7575…
    assert hr["share_of_eight"] == 9.47


def test_one_unit_by_its_code(stc, march):
    rows = stc.api.get(URL, {"month": "2026-03", "unit": "ns"}).json()["results"]

    assert {row["person"] for row in rows} == {"head1", "member1"}


def test_only_the_clients_agency(sxd, march):
    rows = sxd.api.get(URL, {"month": "2026-03"}).json()["results"]

    assert [row["person"] for row in rows] == ["member_b"]


def test_a_unit_of_another_agency_is_a_400_naming_the_field(sxd, march):
    response = sxd.api.get(URL, {"month": "2026-03", "unit": "NS"})

    assert response.status_code == 400
    assert list(response.json()) == ["unit"]


def test_a_month_not_computed_is_empty(stc, march):
    assert stc.api.get(URL, {"month": "2026-04"}).json() == {
        "count": 0, "next": None, "previous": None, "results": [],
    }  # fmt: skip


@pytest.mark.parametrize("url", [URL, UNITS])
@pytest.mark.parametrize(
    "month", [None, "", "2026-3", "03/2026", "2026-13", "0000-01", "2026-03\n", "2026-03-01"]
)
def test_a_bad_month_is_a_json_400(stc, march, url, month):
    response = stc.api.get(url, {} if month is None else {"month": month})

    assert response.status_code == 400
    assert list(response.json()) == ["month"]


def test_the_agency_and_its_units(stc, march):
    response = stc.api.get(UNITS, {"month": "2026-03"})

    assert response.status_code == 200
    agency, unit1 = response.json()["results"]
    assert agency == {
        "month": "2026-03", "being_updated": False, "unit": None, "working_days": 22, "headcount": 3,
        "approved_hours": 363.0,
        "hours_per_day": 5.5, "staffing_need": 2.06, "surplus": 0.94,
        "distribution": {"under_four": 0, "four_to_six": 2, "six_to_eight": 1, "eight_or_more": 0},
        "ratings": {"excellent": 0, "good": 1, "completed": 0, "not_completed": 0, "unrated": 2},
    }  # fmt: skip
    assert unit1["unit"] == "NS"
    assert unit1["headcount"] == 2


def test_units_only_of_the_clients_agency(sxd, march):
    rows = sxd.api.get(UNITS, {"month": "2026-03"}).json()["results"]

    assert [(row["unit"], row["headcount"]) for row in rows] == [(None, 1)]


def test_a_page_of_figures_takes_a_fixed_number_of_queries(stc, march, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert stc.api.get(URL, {"month": "2026-03"}).status_code == 200
    with django_assert_max_num_queries(4):
        assert stc.api.get(UNITS, {"month": "2026-03"}).status_code == 200
