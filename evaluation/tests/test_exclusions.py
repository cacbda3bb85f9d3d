"""A leader excludes a waiting entry with a reason so that the month can be finalised (issue 14)."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from evaluation import services
from evaluation.models import EvaluationStatus
from evaluation.services import exclusions
from org.models import AuditEvent, Notification
from reports.services import person_months
from worklog import lifecycle
from worklog.models import DiaryEntry, EntryStatus
from worklog.tests.factories import DiaryEntryFactory

from .test_evaluation_services import MARCH, month_of_work, scored  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("capacity_basis")]
APRIL_1 = datetime.datetime(2026, 4, 1, 9, tzinfo=datetime.UTC)


@pytest.fixture
def waiting(org, diary, month_of_work):  # noqa: F811
    """member1's entry of 30/03/2026, 2 standard hours, waiting for head1's review."""
    entry = DiaryEntryFactory(
        person=org.member1,
        unit=org.unit1,
        stage=diary.budget_review,
        date=datetime.date(2026, 3, 30),
        quantity=Decimal("0.5"),
    )
    entry.status = EntryStatus.SUBMITTED
    entry.submitted_at = entry.created_at
    entry.save()
    return entry


def exclude(entry, by, reason="Trùng với nhật ký ngày 27/03"):
    return lifecycle.entry_exclude(entry=entry, by=by, reason=reason, version=None)


def test_finalising_is_refused_while_an_entry_waits_and_succeeds_once_it_is_excluded(org, waiting):
    evaluation = scored(org.member1, org.head1)
    with time_machine.travel(APRIL_1, tick=False):
        with pytest.raises(ValidationError):
            services.evaluation_finalise(evaluation=evaluation, by=org.leader, version=evaluation.version)
        exclude(waiting, org.leader)

        services.evaluation_finalise(evaluation=evaluation, by=org.leader, version=evaluation.version)

    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.FINAL
    waiting.refresh_from_db()
    assert waiting.status == EntryStatus.EXCLUDED


def test_the_reviewer_excludes_with_a_reason_audited_and_the_person_is_told(org, waiting):
    exclude(waiting, org.head1, reason="Không thuộc nhiệm vụ được giao")

    waiting.refresh_from_db()
    assert (waiting.status, waiting.exclusion_reason, waiting.excluded_by) == (
        EntryStatus.EXCLUDED,
        "Không thuộc nhiệm vụ được giao",
        org.head1,
    )
    event = AuditEvent.objects.get(action="entry.excluded", object_id=waiting.pk)
    assert (event.actor, event.reason) == (org.head1, "Không thuộc nhiệm vụ được giao")
    notice = Notification.objects.get(recipient=org.member1)
    assert "Không thuộc nhiệm vụ được giao" in notice.body


def test_the_exclude_page_runs_a_bounded_number_of_queries(
    client, org, waiting, django_assert_max_num_queries
):
    client.force_login(org.head1)
    url = reverse("review:entry_exclude", args=[waiting.pk])
    client.get(url)  # warm the per-request caches
    with django_assert_max_num_queries(20):  # a page of one entry: the base page's queries and its own
        response = client.get(url)
    assert response.status_code == 200


def test_an_exclusion_without_a_reason_is_refused_and_changes_nothing(org, waiting):
    with pytest.raises(ValidationError):
        exclude(waiting, org.head1, reason="   ")
    waiting.refresh_from_db()
    assert waiting.status == EntryStatus.SUBMITTED
    assert not AuditEvent.objects.filter(action="entry.excluded").exists()


@pytest.mark.parametrize("who", ["member1", "member2", "hr", "head2", "leader_b"])
def test_only_the_reviewer_or_an_agency_leader_excludes(org, waiting, who):
    with pytest.raises(PermissionDenied):
        exclude(waiting, getattr(org, who))
    waiting.refresh_from_db()
    assert waiting.status == EntryStatus.SUBMITTED


def test_excluded_minutes_are_neither_worked_hours_nor_waiting(org, waiting):
    before = person_months(org.agency, MARCH, {org.member1.pk})[0]
    assert before.pending_count == 1

    exclude(waiting, org.head1)

    after = person_months(org.agency, MARCH, {org.member1.pk})[0]
    assert (after.approved_minutes, after.pending_count) == (before.approved_minutes, 0)


def test_an_exclusion_is_taken_back_before_the_month_is_final_but_not_after(org, waiting, month_of_work):  # noqa: F811
    exclude(waiting, org.head1)
    exclusions.entry_include(entry=waiting, by=org.leader, version=None)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.exclusion_reason) == (EntryStatus.SUBMITTED, "")
    assert AuditEvent.objects.filter(action="entry.included", object_id=waiting.pk).exists()

    exclude(waiting, org.head1)
    evaluation = scored(org.member1, org.head1)
    with time_machine.travel(APRIL_1, tick=False):
        services.evaluation_finalise(evaluation=evaluation, by=org.leader, version=evaluation.version)
        with pytest.raises(ValidationError):
            exclusions.entry_include(entry=waiting, by=org.leader, version=None)
    waiting.refresh_from_db()
    assert waiting.status == EntryStatus.EXCLUDED


# Pages ------------------------------------------------------------------------------------------


def test_the_reviewer_excludes_from_the_queue_with_a_reason(client, org, waiting):
    url = reverse("review:entry_exclude", args=[waiting.pk])
    with time_machine.travel(APRIL_1, tick=False):  # the queue shows the days already passed
        client.force_login(org.head1)
        assert url in client.get(reverse("review:queue")).content.decode()

        response = client.post(url, {"reason": "Đã kê khai trùng", "version": waiting.version})

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert (waiting.status, waiting.exclusion_reason) == (EntryStatus.EXCLUDED, "Đã kê khai trùng")


def test_the_exclude_page_refuses_an_empty_reason_with_a_message(client, org, waiting):
    client.force_login(org.head1)
    url = reverse("review:entry_exclude", args=[waiting.pk])
    response = client.post(url, {"reason": "", "version": waiting.version})

    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    waiting.refresh_from_db()
    assert waiting.status == EntryStatus.SUBMITTED


@pytest.mark.parametrize(("who", "status"), [("hr", 403), ("member2", 404), ("leader_b", 404)])
def test_an_outsider_cannot_open_or_post_the_exclude_page(client, org, waiting, who, status):
    client.force_login(getattr(org, who))
    url = reverse("review:entry_exclude", args=[waiting.pk])
    assert client.get(url).status_code == status
    assert client.post(url, {"reason": "x", "version": waiting.version}).status_code == status
    waiting.refresh_from_db()
    assert waiting.status == EntryStatus.SUBMITTED


def test_the_person_reads_the_reason_on_their_day_page(client, org, waiting):
    exclude(waiting, org.head1, reason="Trùng với ngày 27/03")
    client.force_login(org.member1)

    page = client.get(reverse("worklog:day", args=["2026-03-30"])).content.decode()

    assert "Trùng với ngày 27/03" in page


def test_the_month_entries_page_lists_waiting_and_excluded_entries_in_a_fixed_number_of_queries(
    client, org, diary, waiting, django_assert_max_num_queries
):
    evaluation = scored(org.member1, org.head1)
    url = reverse("evaluation:month_entries", args=[evaluation.pk])
    client.force_login(org.leader)
    client.get(url)  # warm the per-request caches
    with django_assert_max_num_queries(14):
        one = client.get(url)
    for day in (24, 25, 26):
        extra = DiaryEntryFactory(
            person=org.member1, unit=org.unit1, stage=diary.budget_review, date=datetime.date(2026, 3, day)
        )
        DiaryEntry.objects.filter(pk=extra.pk).update(status=EntryStatus.SUBMITTED)
    exclude(waiting, org.head1, reason="Trùng")
    with django_assert_max_num_queries(14):
        many = client.get(url)

    assert len(one.context["entries"]) == 1 and len(many.context["entries"]) == 4
    page = many.content.decode()
    assert "Trùng" in page and reverse("evaluation:entry_include", args=[evaluation.pk, waiting.pk]) in page


def test_the_person_reads_the_exclusion_in_their_evaluation_but_cannot_take_it_back(client, org, waiting):
    evaluation = scored(org.member1, org.head1)
    exclude(waiting, org.head1, reason="Trùng với ngày 27/03")
    client.force_login(org.member1)

    detail = client.get(reverse("evaluation:detail", args=[evaluation.pk])).content.decode()
    page = client.get(reverse("evaluation:month_entries", args=[evaluation.pk])).content.decode()

    assert reverse("evaluation:month_entries", args=[evaluation.pk]) in detail
    assert "Trùng với ngày 27/03" in page and 'data-testid="include"' not in page
    include = reverse("evaluation:entry_include", args=[evaluation.pk, waiting.pk])
    assert client.post(include, {"version": waiting.version + 1}).status_code == 403


@pytest.mark.parametrize(("who", "status"), [("member2", 404), ("leader_b", 404)])
def test_an_outsider_cannot_open_the_month_entries_page_or_take_an_exclusion_back(
    client, org, waiting, who, status
):
    evaluation = scored(org.member1, org.head1)
    exclude(waiting, org.head1)
    client.force_login(getattr(org, who))
    assert client.get(reverse("evaluation:month_entries", args=[evaluation.pk])).status_code == status
    include = reverse("evaluation:entry_include", args=[evaluation.pk, waiting.pk])
    assert client.post(include, {"version": waiting.version + 1}).status_code == status
    waiting.refresh_from_db()
    assert waiting.status == EntryStatus.EXCLUDED


def test_the_leader_takes_an_exclusion_back_from_the_month_entries_page(client, org, waiting):
    evaluation = scored(org.member1, org.head1)
    exclude(waiting, org.head1)
    waiting.refresh_from_db()
    client.force_login(org.leader)

    response = client.post(
        reverse("evaluation:entry_include", args=[evaluation.pk, waiting.pk]), {"version": waiting.version}
    )

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == EntryStatus.SUBMITTED
