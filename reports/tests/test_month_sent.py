"""HR marks an agency-month's results as sent to the Department of Home Affairs: once, for a closed month,
audited; the dashboard says when and by whom, or by when it is due."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from org.models import AuditEvent
from reports import services
from reports.models import MonthSent

from .fixtures import APRIL

pytestmark = pytest.mark.django_db
AFTER_APRIL = datetime.datetime(2025, 5, 6, 9, tzinfo=datetime.UTC)


@pytest.fixture
def computed(org, april):
    services.month_compute(agency=org.agency, month=APRIL)


def test_hr_marks_a_closed_month_sent_once_and_it_is_audited(org, computed):
    with time_machine.travel(AFTER_APRIL, tick=False):
        sent = services.month_mark_sent(agency=org.agency, month=APRIL, by=org.hr)
        with pytest.raises(ValidationError, match="đã được đánh dấu đã gửi"):
            services.month_mark_sent(agency=org.agency, month=APRIL, by=org.hr)

    assert (sent.sent_by, sent.month) == (org.hr, APRIL)
    assert MonthSent.objects.count() == 1
    event = AuditEvent.objects.get(action="report.sent")
    assert (event.actor, event.agency, event.after) == (org.hr, org.agency, {"month": "2025-04-01"})


def test_an_open_month_is_not_sent_and_only_hr_sends(org, computed):
    with (
        time_machine.travel(datetime.datetime(2025, 4, 28, 9, tzinfo=datetime.UTC), tick=False),
        pytest.raises(ValidationError, match="chưa khóa sổ"),
    ):
        services.month_mark_sent(agency=org.agency, month=APRIL, by=org.hr)
    with time_machine.travel(AFTER_APRIL, tick=False):
        for outsider in (org.head1, org.member1, org.leader_b):
            with pytest.raises(PermissionDenied):
                services.month_mark_sent(agency=org.agency, month=APRIL, by=outsider)
    assert not MonthSent.objects.exists()


def test_the_dashboard_shows_the_due_date_then_who_sent_it(
    client, org, computed, django_assert_max_num_queries
):
    url = reverse("reports:agency", args=[org.agency.code])
    client.force_login(org.hr)
    with time_machine.travel(AFTER_APRIL, tick=False):
        with django_assert_max_num_queries(25):
            page = client.get(url, {"month": "2025-04"}).content.decode()
        assert "Cần gửi Sở Nội vụ trước ngày 25/05/2025" in page and 'data-testid="mark-sent"' in page

        page = client.post(
            reverse("reports:mark_sent", args=[org.agency.code]), {"month": "2025-04"}, follow=True
        ).content.decode()

    assert f"Đã gửi Sở Nội vụ ngày 06/05/2025, người gửi: {org.hr.full_name}." in page
    assert 'data-testid="mark-sent"' not in page


def test_bad_requests_change_nothing(client, org, computed):
    url = reverse("reports:mark_sent", args=[org.agency.code])
    with time_machine.travel(AFTER_APRIL, tick=False):
        client.force_login(org.hr)
        assert client.get(url).status_code == 405
        page = client.post(url, {"month": "tháng tư"}, follow=True).content.decode()
        assert "Hãy chọn một tháng" in page
        client.force_login(org.member1)
        assert client.post(url, {"month": "2025-04"}).status_code == 403
        client.force_login(org.member_b)
        assert client.post(url, {"month": "2025-04"}).status_code == 404
    assert not MonthSent.objects.exists()


def test_hr_is_reminded_from_three_days_before_the_25th_until_the_month_is_sent(org):
    from django_celery_beat.models import PeriodicTask

    from org.models import Notification
    from reports.tasks import remind_results_to_send

    assert PeriodicTask.objects.filter(task="reports.tasks.remind_results_to_send").exists()
    assert remind_results_to_send(on="2025-05-21") == 0  # April's results are due on 25/05
    assert remind_results_to_send(on="2025-05-22") == 1  # the agency's HR (the other agency has none)
    assert remind_results_to_send(on="2025-05-22") == 0  # once a day
    notice = Notification.objects.get(recipient=org.hr)
    assert "04/2025" in notice.title and "25/05/2025" in notice.title
    assert notice.url.endswith("?month=2025-04")
    MonthSent.objects.create(agency=org.agency, month=APRIL, sent_by=org.hr)
    assert remind_results_to_send(on="2025-05-23") == 0
