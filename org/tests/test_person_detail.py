import pytest
from django.urls import reverse

pytestmark = pytest.mark.dates


def url(person):
    return reverse("org:person", args=[person.pk])


def test_a_person_reads_their_own_profile(client, org):
    client.force_login(org.member1)

    response = client.get(url(org.member1))

    assert response.status_code == 200
    assert "Phòng Quản lý Ngân sách" in response.text


@pytest.mark.parametrize(
    ("reader", "person"),
    [
        ("member1", "member2"),  # a colleague
        ("member1", "head1"),  # one's own supervisor
        ("head1", "hr"),  # a supervisor outside their line
        ("catalog_manager", "member1"),
        ("member_b", "member1"),  # another agency
        ("leader_b", "leader"),  # another agency's leader
    ],
)
def test_an_outsider_gets_a_404(client, org, reader, person):
    client.force_login(getattr(org, reader))

    response = client.get(url(getattr(org, person)))

    assert response.status_code == 404
    assert getattr(org, person).full_name not in response.text


@pytest.mark.parametrize(
    ("reader", "person"),
    [("head1", "member1"), ("leader", "head1"), ("hr", "member2"), ("deputy", "orphan")],
)
def test_the_access_rules_let_reviewers_hr_and_leaders_read(client, org, reader, person):
    client.force_login(getattr(org, reader))

    assert client.get(url(getattr(org, person))).status_code == 200


def test_an_unknown_id_gives_a_404(client, org):
    client.force_login(org.hr)

    assert client.get("/people/999999/").status_code == 404


def test_it_keeps_a_bounded_number_of_queries(client, org, django_assert_max_num_queries):
    client.force_login(org.hr)

    with django_assert_max_num_queries(20):
        client.get(url(org.member1))


def test_the_page_title_is_just_the_name(client, org):
    client.force_login(org.head1)

    response = client.get(url(org.member1))

    title = response.text.split("<title>")[1].split("</title>")[0]
    assert title == f"{org.member1.full_name} · KPI Portal"
