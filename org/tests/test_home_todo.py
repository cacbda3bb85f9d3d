"""The home page is a list of what to do, with the right counts, for canbo, truongphong and giamdoc of the
demo: entries returned to correct, work assigned, the month to assess oneself, entries waiting for review
and the people who logged nothing, each a click from where it is done."""

import re

import pytest
from django.urls import reverse

from evaluation.models import EvaluationStatus, MonthlyEvaluation
from evaluation.services import self_assessment_deadline
from kpi_portal import periods
from org import selectors as org_selectors
from org.models import User
from review.selectors import review_queue
from worklog import selectors as worklog_selectors
from worklog.models import DiaryEntry, EntryStatus

pytestmark = [pytest.mark.usefixtures("demo"), pytest.mark.dates]


def home(client, username, django_assert_max_num_queries, bound=60):
    person = User.objects.get(username=username)
    client.force_login(person)
    with django_assert_max_num_queries(bound):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return person, re.sub(r"\s+", " ", response.content.decode())


def test_canbo_sees_what_was_returned_to_her_her_work_assigned_and_her_self_assessment(
    client, django_assert_max_num_queries
):
    canbo, page = home(client, "canbo", django_assert_max_num_queries)

    returned = DiaryEntry.objects.filter(person=canbo, status=EntryStatus.RETURNED).count()
    if returned:
        assert f"Bị trả lại: {returned} nhật ký cần sửa" in page
        assert page.count('data-testid="home-returned-entry"') == returned
    else:
        assert 'data-testid="home-returned"' not in page
    open_work = len(worklog_selectors.open_assignments(canbo))
    if open_work:
        assert f"Việc được giao cho anh/chị: {open_work} việc đang mở" in page
    else:
        assert 'data-testid="home-assignments"' not in page
    month = periods.previous_month(org_selectors.today())
    evaluation = MonthlyEvaluation.objects.filter(person=canbo, month=month).first()
    deadline = self_assessment_deadline(
        evaluation or MonthlyEvaluation(agency=canbo.memberships.get().unit.agency, month=month)
    )
    to_assess = (evaluation is None or evaluation.status == EvaluationStatus.OPEN) and (
        org_selectors.today() <= deadline
    )
    assert ('data-testid="home-self-assess"' in page) == to_assess
    assert 'data-testid="home-queue"' not in page  # she reviews nobody


def test_truongphong_sees_his_queue_and_who_logged_nothing(client, django_assert_max_num_queries):
    head, page = home(client, "truongphong", django_assert_max_num_queries)

    queue = review_queue(head)
    waiting = DiaryEntry.objects.filter(
        status=EntryStatus.SUBMITTED, pk__in=[e.pk for d in queue.days for e in d.entries]
    ).count()
    assert waiting == queue.all_count  # every entry the queue page lists is still waiting
    if waiting:
        assert f"{waiting} nhật ký đang chờ bạn duyệt" in page
        oldest = min(d.date for d in queue.days)
        assert f"cũ nhất là ngày {oldest:%d/%m/%Y}" in page
    missing = worklog_selectors.missing_days(head, org_selectors.today())
    if missing:
        assert f"Chưa ghi nhật ký một số ngày: {len(missing)} người" in page


def test_giamdoc_sees_the_entries_of_the_unit_heads_waiting_for_him(client, django_assert_max_num_queries):
    leader, page = home(client, "giamdoc", django_assert_max_num_queries)

    queue = review_queue(leader)
    assert ('data-testid="home-queue"' in page) == bool(queue.all_count)
    if queue.all_count:
        assert f"{queue.all_count} nhật ký đang chờ bạn duyệt" in page
