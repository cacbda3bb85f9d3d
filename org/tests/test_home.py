import pytest
from django.urls import reverse

pytestmark = pytest.mark.dates


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_shows_the_persons_unit_and_reviewer(client, org):
    client.force_login(org.member1)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert org.member1.full_name in response.text
    assert "Phòng Quản lý Ngân sách" in response.text
    assert response.context["profile"]["reviewer"] == org.head1


def test_it_tells_a_unit_head_how_many_people_they_review(client, org):
    client.force_login(org.head1)

    response = client.get(reverse("home"))

    assert response.context["reviewee_count"] == 2


def test_its_navigation_shows_only_what_the_role_may_use(client, org):
    client.force_login(org.member1)
    staff_nav = {item.url_name for item in client.get(reverse("home")).context["nav_items"]}
    client.force_login(org.head1)
    head_nav = {item.url_name for item in client.get(reverse("home")).context["nav_items"]}
    client.force_login(org.hr)
    hr_nav = {item.url_name for item in client.get(reverse("home")).context["nav_items"]}

    # Everyone with a diary has the work assigned to them (and, for those who assign, the work they assign).
    assert staff_nav == {"home", "worklog", "assignments", "catalog", "evaluation", "reports"}
    assert head_nav == {
        "home",
        "worklog",
        "assignments",
        "catalog",
        "evaluation",
        "reports",
        "people",
        "delegations",
        "leave",
    }
    assert hr_nav == {
        "home",
        "worklog",
        "assignments",
        "catalog",
        "evaluation",
        "reports",
        "people",
        "audit",
        "leave",
    }


def test_a_person_outside_every_agency_has_no_catalog_in_the_menu(client, db):
    from .factories import UserFactory

    client.force_login(UserFactory())

    assert {item.url_name for item in client.get(reverse("home")).context["nav_items"]} == {"home"}


def test_it_keeps_a_bounded_number_of_queries(client, org, django_assert_max_num_queries):
    client.force_login(org.leader)

    # The profile, and each to-do section: the review queue, who logged nothing, returned entries, the
    # month to assess oneself, the work assigned (the demo's pages stay within the same kind of bound
    # with months of data: test_home_todo).
    with django_assert_max_num_queries(40):
        client.get(reverse("home"))
