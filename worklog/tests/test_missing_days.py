"""Who logged nothing: a unit head's home page lists the people they review with working days of this
week and last (before today) left empty in their diary, each one click from a reminder."""

import datetime

import pytest
from django.urls import reverse

from org.models import Notification
from org.tests.factories import MembershipFactory
from worklog import selectors
from worklog.tests.factories import DiaryEntryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

# Today is Tuesday 10/03/2026: last week is 02–06/03, this week before today is Monday 09/03.
LAST_WEEK_AND_MONDAY = [datetime.date(2026, 3, d) for d in (2, 3, 4, 5, 6, 9)]


@pytest.fixture
def scene(org, diary):
    def log(person, days):
        for day in days:
            DiaryEntryFactory(person=person, unit=org.unit1, stage=diary.study, date=day)

    monday = datetime.date(2026, 3, 9)
    newcomer = MembershipFactory(unit=org.unit1, person__username="newcomer", start=monday).person
    log(org.member1, LAST_WEEK_AND_MONDAY)
    log(org.member2, LAST_WEEK_AND_MONDAY[:4])  # nothing on Friday 06/03 nor Monday 09/03
    return {"newcomer": newcomer}


def remind(client, person):
    return client.post(reverse("worklog:remind_missing_days", args=[person.pk]), follow=True)


def test_the_unit_head_sees_who_left_working_days_empty_the_most_days_first(client, org, scene):
    missing = selectors.missing_days(org.head1, datetime.date(2026, 3, 10))

    assert [(m.person, m.days) for m in missing] == [
        (org.member2, [datetime.date(2026, 3, 6), datetime.date(2026, 3, 9)]),
        (scene["newcomer"], [datetime.date(2026, 3, 9)]),  # a member only since Monday
    ]
    client.force_login(org.head1)
    page = client.get(reverse("home")).content.decode()
    assert "Chưa ghi nhật ký" in page
    assert org.member2.full_name in page and "06/03, 09/03" in page
    assert org.member1.full_name not in page.split('data-testid="home-missing"')[1]


def test_one_click_reminds_the_person_once_a_day(client, org, scene):
    client.force_login(org.head1)

    page = remind(client, org.member2).content.decode()

    assert f"Đã nhắc {org.member2.full_name}." in page
    notice = Notification.objects.get(recipient=org.member2)
    assert "06/03/2026, 09/03/2026" in notice.body
    assert notice.url == reverse("worklog:day", args=["2026-03-06"])
    page = remind(client, org.member2).content.decode()
    assert "đã được nhắc hôm nay" in page
    assert Notification.objects.filter(recipient=org.member2).count() == 1


def test_nobody_else_reminds_and_staff_see_no_list(client, org, scene):
    for outsider in (org.member1, org.head2, org.leader_b):
        client.force_login(outsider)
        assert client.post(reverse("worklog:remind_missing_days", args=[org.member2.pk])).status_code == 403
        page = client.get(reverse("home")).content.decode()
        # Other heads see only the people they review.
        assert reverse("worklog:remind_missing_days", args=[org.member2.pk]) not in page
    assert 'data-testid="home-missing"' in page  # leader_b's own member logged nothing either
    client.force_login(org.member1)
    assert 'data-testid="home-missing"' not in client.get(reverse("home")).content.decode()
    client.logout()
    response = client.post(reverse("worklog:remind_missing_days", args=[org.member2.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Notification.objects.filter(recipient=org.member2).exists()


def test_bad_requests_change_nothing(client, org, scene):
    client.force_login(org.head1)

    assert client.get(reverse("worklog:remind_missing_days", args=[org.member2.pk])).status_code == 405
    assert client.post(reverse("worklog:remind_missing_days", args=[999_999])).status_code == 403
    page = remind(client, org.member1).content.decode()  # logged every day

    assert "đã ghi nhật ký đủ mọi ngày làm việc" in page
    assert not Notification.objects.filter(recipient__in=[org.member1, org.member2]).exists()


def test_the_home_page_runs_a_bounded_number_of_queries(client, org, scene, django_assert_max_num_queries):
    client.force_login(org.head1)
    with django_assert_max_num_queries(40):
        assert client.get(reverse("home")).status_code == 200
