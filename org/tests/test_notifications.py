import pytest
from django.core import mail
from django.urls import reverse

from org.models import Notification
from org.notifications import notify

pytestmark = pytest.mark.dates


def test_it_lists_only_ones_own_notifications_and_shows_the_unread_count(client, org):
    Notification.objects.create(recipient=org.member1, key="a", title="Nhắc kê khai nhật ký ngày 09/03")
    Notification.objects.create(recipient=org.member2, key="b", title="Thông báo của người khác")
    client.force_login(org.member1)

    response = client.get(reverse("org:notifications"))

    assert "Nhắc kê khai nhật ký ngày 09/03" in response.text
    assert "Thông báo của người khác" not in response.text
    assert response.context["unread_notifications"] == 1


def test_marking_all_as_read_clears_the_badge_for_oneself_only(client, org):
    Notification.objects.create(recipient=org.member1, key="a", title="A")
    Notification.objects.create(recipient=org.member2, key="b", title="B")
    client.force_login(org.member1)

    client.post(reverse("org:notifications_read"))

    assert client.get(reverse("home")).context["unread_notifications"] == 0
    assert Notification.objects.get(key="b").read_at is None


def test_marking_as_read_needs_a_post(client, org):
    client.force_login(org.member1)

    assert client.get(reverse("org:notifications_read")).status_code == 405


def test_anonymous_visitors_are_sent_to_login(client, db):
    assert client.get(reverse("org:notifications")).url.startswith(reverse("login"))


def test_the_page_keeps_a_bounded_number_of_queries(client, org, django_assert_max_num_queries):
    for n in range(30):
        Notification.objects.create(recipient=org.member1, key=f"k{n}", title=f"Thông báo {n}")
    client.force_login(org.member1)

    with django_assert_max_num_queries(12):
        client.get(reverse("org:notifications"), {"page": "x"})


def test_a_notification_is_created_and_mailed_once(org, eager_celery, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(recipient=org.member1, key="k", title="Tiêu đề", body="Nội dung", url="/diary/")
        second = notify(recipient=org.member1, key="k", title="Tiêu đề", body="Nội dung", url="/diary/")

    assert (first, second) == (True, False)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["member1@example.test"]
    assert "/diary/" in mail.outbox[0].body


def test_opening_a_notification_marks_it_read_and_opens_its_page(client, org):
    day = reverse("worklog:day", args=["2026-03-09"])
    mine = Notification.objects.create(recipient=org.member1, key="a", title="Nhắc", url=day)
    other = Notification.objects.create(recipient=org.member2, key="b", title="B", url=day)
    outside = Notification.objects.create(
        recipient=org.member1, key="c", title="C", url="https://evil.example/"
    )
    client.force_login(org.member1)
    assert (
        f'href="{reverse("org:notification_open", args=[mine.pk])}"'
        in client.get(reverse("org:notifications")).content.decode()
    )

    response = client.get(reverse("org:notification_open", args=[mine.pk]))

    assert response.status_code == 302 and response["Location"] == day
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.get(reverse("org:notification_open", args=[other.pk])).status_code == 404  # not hers
    assert client.get(reverse("org:notification_open", args=[999_999])).status_code == 404
    other.refresh_from_db()
    assert other.read_at is None
    # A link that leads off the portal is never followed.
    assert client.get(reverse("org:notification_open", args=[outside.pk]))["Location"] == reverse(
        "org:notifications"
    )
