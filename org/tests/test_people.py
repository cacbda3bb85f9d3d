import pytest
from django.urls import reverse

from .factories import MembershipFactory

pytestmark = pytest.mark.dates

URL = reverse("org:people")


def usernames(response):
    return [person.username for person in response.context["page"].object_list]


def test_it_requires_login(client):
    assert client.get(URL).status_code == 302


def test_it_is_forbidden_to_a_staff_member(client, org):
    client.force_login(org.member1)

    response = client.get(URL)

    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.text


def test_a_unit_head_lists_only_the_people_they_review(client, org):
    client.force_login(org.head1)

    assert set(usernames(client.get(URL))) == {"head1", "member1", "member2"}


def test_hr_lists_the_agency_and_nobody_of_another_agency(client, org):
    client.force_login(org.hr)

    listed = usernames(client.get(URL))

    assert "member1" in listed
    assert "member_b" not in listed
    assert "leader_b" not in listed


def test_it_filters_by_name_and_unit(client, org):
    client.force_login(org.hr)

    by_unit = usernames(client.get(URL, {"unit": org.unit1.pk}))
    by_name = usernames(client.get(URL, {"q": "member2"}))

    assert set(by_unit) == {"head1", "member1", "member2"}
    assert by_name == ["member2"]


def test_a_unit_of_another_agency_is_refused_as_a_filter(client, org):
    client.force_login(org.hr)
    foreign_unit = org.member_b.memberships.get().unit

    response = client.get(URL, {"unit": foreign_unit.pk})

    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert "member_b" not in usernames(response)


@pytest.mark.parametrize("params", [{"unit": "abc"}, {"page": "xyz"}, {"page": "9999"}, {"q": "x" * 500}])
def test_bad_parameters_give_a_normal_page(client, org, params):
    client.force_login(org.hr)

    response = client.get(URL, params)

    assert response.status_code == 200


def test_it_paginates(client, org, settings):
    settings.PEOPLE_PAGE_SIZE = 4
    client.force_login(org.hr)

    first = client.get(URL)
    second = client.get(URL, {"page": 2})

    assert first.context["page"].paginator.num_pages == 3
    assert not set(usernames(first)) & set(usernames(second))


def test_it_shows_an_empty_state(client, org):
    client.force_login(org.hr)

    response = client.get(URL, {"q": "không có ai tên này"})

    assert not response.context["page"].object_list
    assert "Không có ai phù hợp với điều kiện lọc." in response.text


def test_its_query_count_does_not_grow_with_rows(client, org, django_assert_max_num_queries):
    client.force_login(org.hr)
    for _ in range(20):
        MembershipFactory(unit=org.unit2)

    with django_assert_max_num_queries(14):
        response = client.get(URL)

    assert len(usernames(response)) == 25
