"""The usage guide: how to pick a stage, fractional quantities, evidence — for anyone signed in."""

import pytest
from django.urls import reverse

GUIDE = reverse("worklog:guide")


def test_anonymous_visitors_are_sent_to_login(client, db):
    assert client.get(GUIDE).url.startswith(reverse("login"))


def test_a_staff_member_reads_how_to_log_work_in_vietnamese(client, org, django_assert_max_num_queries):
    client.force_login(org.member1)
    with django_assert_max_num_queries(12):
        response = client.get(GUIDE)

    text = response.content.decode()
    assert response.status_code == 200
    assert "Cách ghi nhật ký công việc" in text
    assert "2.400 × 0,05 = 120 phút" in text  # a fractional product worked out
    assert "1234/STC-NS" in text  # what counts as evidence


def test_the_diary_pages_link_to_the_guide(client, org, diary):
    client.force_login(org.member1)
    assert GUIDE in client.get(reverse("worklog:day", args=["2026-03-10"])).content.decode()


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_guide_only_reads(client, org, method):
    client.force_login(org.member1)
    assert getattr(client, method)(GUIDE).status_code == 405


def test_the_handbook_page_carries_the_guide(client, org, catalog):
    client.force_login(org.member1)
    page = client.get(reverse("catalog:handbook", args=[org.agency.code])).content.decode()
    assert 'data-testid="usage-guide"' in page and "Thế nào là minh chứng" in page
