"""The review queue page: only reviewers, only their people, a fixed number of queries, clear refusals."""

import datetime

import pytest
from django.urls import reverse

from org.models import AuditEvent
from worklog import lifecycle
from worklog.models import DiaryEntry, EntryStatus

from .fixtures import MONDAY, submitted

pytestmark = pytest.mark.django_db
QUEUE = reverse("review:queue")
APPROVE = reverse("review:approve")


def as_user(client, user):
    client.force_login(user)
    return client


def approve_data(*entries, **extra):
    data = {"entry": [e.pk for e in entries], "next": QUEUE}
    for entry in entries:
        data[f"version-{entry.pk}"] = entry.version
        data[f"errors-{entry.pk}"] = extra.get("errors", 0)
        data[f"delays-{entry.pk}"] = 0
    return data


def test_the_unit_head_sees_their_members_days_grouped_and_not_their_own(client, org, review):
    response = as_user(client, org.head1).get(QUEUE)

    assert response.status_code == 200
    page = response.content.decode()
    assert org.member1.full_name in page and org.member2.full_name in page
    days = response.context["page"].object_list
    assert [(d.person, d.date, len(d.entries)) for d in days] == sorted(
        [
            (org.member1, MONDAY, 2),
            (org.member1, datetime.date(2026, 3, 10), 1),
            (org.member2, MONDAY, 1),
        ],
        key=lambda row: (row[0].full_name, row[0].pk, row[1]),
    )
    assert review.head1_monday.pk not in {e.pk for d in days for e in d.entries}


def test_the_agency_leader_sees_the_unit_heads_entries(client, org, review):
    days = as_user(client, org.leader).get(QUEUE).context["page"].object_list
    assert [e.pk for d in days for e in d.entries] == [review.head1_monday.pk]


@pytest.mark.parametrize("who", ["member1", "hr", "catalog_manager", "member_b"])
def test_people_who_review_nobody_cannot_reach_the_queue(client, org, review, who):
    assert as_user(client, getattr(org, who)).get(QUEUE).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client, db):
    assert client.get(QUEUE).url.startswith(reverse("login"))


def test_filters_narrow_the_queue_and_a_bad_date_is_explained(client, org, review):
    client = as_user(client, org.head1)
    days = client.get(QUEUE, {"person": org.member2.pk}).context["page"].object_list
    assert [d.person for d in days] == [org.member2]
    days = client.get(QUEUE, {"start": "10/03/2026"}).context["page"].object_list
    assert {d.date for d in days} == {datetime.date(2026, 3, 10)}

    response = client.get(QUEUE, {"start": "31/02/2026", "person": "abc"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_the_flagged_filter_keeps_days_above_eight_hours(client, org, diary, review):
    submitted(org.member2, org.unit1, diary.budget_review, MONDAY, "1.5")  # 6 + 6 = 12 h
    days = as_user(client, org.head1).get(QUEUE, {"flagged": "on"}).context["page"].object_list
    assert [(d.person, d.date) for d in days] == [(org.member2, MONDAY)]


def test_approving_in_bulk_from_the_queue(client, org, review):
    entries = review.member1_monday
    response = as_user(client, org.head1).post(APPROVE, approve_data(*entries, errors=1), follow=True)

    (message,) = response.context["messages"]
    assert str(message) == "Đã duyệt 2 nhật ký."
    assert set(
        DiaryEntry.objects.filter(pk__in=[e.pk for e in entries]).values_list("status", "major_errors")
    ) == {(EntryStatus.APPROVED, 1)}
    assert len(response.context["page"].object_list) == 2  # Tuesday of member1, Monday of member2


def test_approving_with_htmx_answers_with_the_refreshed_queue_panel(client, org, review):
    response = as_user(client, org.head1).post(
        APPROVE, approve_data(review.member2_monday), follow=True, HTTP_HX_REQUEST="true"
    )
    text = response.content.decode()
    assert text.lstrip().startswith('<section id="queue-panel"')
    assert "Đã duyệt 1 nhật ký." in text
    assert review.member2_monday.pk not in {
        e.pk for d in response.context["page"].object_list for e in d.entries
    }


def test_changing_an_id_in_the_form_to_someone_elses_entry_is_refused_and_changes_nothing(
    client, org, review
):
    data = approve_data(review.member1_tuesday, review.member_b_monday)
    response = as_user(client, org.head1).post(APPROVE, data)

    assert response.status_code == 403
    assert not DiaryEntry.objects.filter(status=EntryStatus.APPROVED).exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    "data",
    [{}, {"entry": "x"}, {"entry": "1"}, {"entry": "999999", "version-999999": "1"}],
    ids=["nothing", "not-a-number", "no-version", "unknown"],
)
def test_malformed_approvals_get_a_message_and_change_nothing(client, org, review, data):
    response = as_user(client, org.head1).post(APPROVE, data, follow=True)
    assert response.status_code == 200
    assert list(response.context["messages"])
    assert not DiaryEntry.objects.filter(status=EntryStatus.APPROVED).exists()


def test_returning_from_the_queue_without_javascript(client, org, review):
    entry = review.member2_monday
    url = reverse("review:entry_return", args=[entry.pk])
    client = as_user(client, org.head1)
    assert client.get(url).status_code == 200

    response = client.post(
        url, {f"return-{entry.pk}-reason": "", f"return-{entry.pk}-version": entry.version}
    )
    assert response.status_code == 400
    assert "Nêu lý do trả lại" in response.content.decode()

    response = client.post(
        url, {f"return-{entry.pk}-reason": "Thiếu số văn bản", f"return-{entry.pk}-version": entry.version}
    )
    assert response.url == QUEUE
    entry.refresh_from_db()
    assert (entry.status, entry.return_reason) == (EntryStatus.RETURNED, "Thiếu số văn bản")


def test_returning_inline_with_htmx_keeps_the_reviewers_place(client, org, review):
    entry = review.member2_monday
    url = reverse("review:entry_return", args=[entry.pk]) + f"?next={QUEUE}"
    client = as_user(client, org.head1)
    fragment = client.get(url, HTTP_HX_REQUEST="true")
    assert 'data-testid="return-form"' in fragment.content.decode()

    response = client.post(
        url,
        {f"return-{entry.pk}-reason": "Sai định mức", f"return-{entry.pk}-version": entry.version},
        HTTP_HX_REQUEST="true",
    )
    # No reload to the top of the queue: the returned entry's row says so in place and its queue row goes.
    assert "HX-Redirect" not in response.headers
    text = response.content.decode()
    assert f'id="return-{entry.pk}"' in text and "Sai định mức" in text
    assert f'<tr id="entry-{entry.pk}" hx-swap-oob="delete">' in text
    entry.refresh_from_db()
    assert entry.status == EntryStatus.RETURNED


@pytest.mark.parametrize(
    ("who", "status"), [("head2", 404), ("member1", 404), ("leader_b", 404), ("hr", 403), ("leader", 403)]
)
def test_only_the_reviewer_of_the_day_reaches_the_return_form(client, org, review, who, status):
    # Those who may read member2's entry (HR, the leader) are refused; nobody else learns it exists.
    url = reverse("review:entry_return", args=[review.member2_monday.pk])
    assert as_user(client, getattr(org, who)).get(url).status_code == status


def test_the_queue_of_a_unit_of_30_with_600_entries_runs_a_fixed_number_of_queries(
    client, org, diary, frozen_now, django_assert_max_num_queries
):
    from org.tests.factories import MembershipFactory
    from worklog.tests.factories import DiaryEntryFactory

    people = [MembershipFactory(unit=org.unit1, person__username=f"p{n}").person for n in range(28)]
    people += [org.member1, org.member2]
    days = [datetime.date(2026, 2, 23) + datetime.timedelta(days=d) for d in range(16)]
    days = [d for d in days if d.weekday() < 5][:10]
    DiaryEntry.objects.bulk_create(
        [
            DiaryEntryFactory.build(
                person=person,
                unit=org.unit1,
                stage=stage,
                date=day,
                status=EntryStatus.SUBMITTED,
            )
            for person in people
            for day in days
            for stage in (diary.budget_intake, diary.study)
        ]
    )
    assert DiaryEntry.objects.filter(status=EntryStatus.SUBMITTED).count() == 600
    client = as_user(client, org.head1)
    # 23: the queue (its oldest waiting day, then the units below the reviewer: two queries), its
    # filters and tabs, and the delegations the reviewer acts under today (the banner).
    with django_assert_max_num_queries(23):
        response = client.get(QUEUE)
    assert response.context["queue"].entry_count == 600
    with django_assert_max_num_queries(23):
        client.get(QUEUE, {"page": 3, "flagged": "on", "person": org.member1.pk})


def test_a_reviewer_who_lost_the_race_is_told_the_entry_changed_instead_of_a_404(client, org, review):
    entry = review.member2_monday
    url = reverse("review:entry_return", args=[entry.pk])
    client = as_user(client, org.head1)
    assert client.get(url).status_code == 200
    # Meanwhile the entry is approved (another tab, or a delegate of the same unit).
    lifecycle.entries_approve(approvals={entry.pk: lifecycle.Approval(version=entry.version)}, by=org.head1)

    response = client.post(
        url, {f"return-{entry.pk}-reason": "Thiếu số văn bản", f"return-{entry.pk}-version": entry.version}
    )
    assert response.status_code == 400
    assert "vừa được thay đổi" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == EntryStatus.APPROVED

    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == QUEUE
    assert any("vừa được thay đổi" in str(m) for m in response.context["messages"])


def test_an_entry_outside_the_reviewers_scope_stays_a_404_whatever_its_status(client, org, review):
    entry = review.member2_monday
    lifecycle.entries_approve(approvals={entry.pk: lifecycle.Approval(version=entry.version)}, by=org.head1)
    url = reverse("review:entry_return", args=[entry.pk])

    assert as_user(client, org.head2).get(url).status_code == 404
    assert as_user(client, org.hr).post(url, {}).status_code == 403
