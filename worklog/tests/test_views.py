"""The diary pages: one's own diary only, a fixed number of queries, clear refusals."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from org.tests.factories import DelegationFactory
from worklog.models import DiaryEntry, EntryStatus

from .factories import DiaryEntryFactory

pytestmark = pytest.mark.usefixtures("frozen_now")

TODAY = datetime.date(2026, 3, 10)
DAY_URL = reverse("worklog:day", args=[TODAY])


@pytest.fixture
def member(client, org, diary):
    client.force_login(org.member1)
    return client


def entries(org, n, *, stage, day=TODAY, status=EntryStatus.DRAFT):
    return [
        DiaryEntryFactory(person=org.member1, unit=org.unit1, stage=stage, date=day, status=status)
        for _ in range(n)
    ]


def test_the_diary_starts_at_today(member):
    assert member.get(reverse("worklog:index")).url == DAY_URL


@pytest.mark.parametrize(
    "url",
    [DAY_URL, reverse("worklog:week", args=[TODAY]), reverse("worklog:month", args=[2026, 3])],
)
def test_anonymous_visitors_are_sent_to_login(client, db, url):
    assert client.get(url).url.startswith(reverse("login"))


def test_adding_an_entry(member, org, diary):
    response = member.post(
        DAY_URL, {"stage": diary.study.pk, "quantity": "1,5", "description": "Lớp bồi dưỡng"}
    )

    assert response.url == DAY_URL
    entry = DiaryEntry.objects.get()
    assert (entry.person, entry.quantity, entry.standard_minutes) == (
        org.member1,
        Decimal("1.5"),
        Decimal(90),
    )


def test_a_quantity_of_one_hundredth_written_with_a_decimal_comma_is_accepted(member, org, diary):
    response = member.post(DAY_URL, {"stage": diary.study.pk, "quantity": "0,01"})

    assert response.url == DAY_URL
    assert DiaryEntry.objects.get().quantity == Decimal("0.01")


def test_the_same_add_form_posted_twice_adds_one_entry(member, org, diary):
    page = member.get(DAY_URL)
    token = page.context["form"].initial["client_token"]
    assert f'name="client_token" value="{token}"' in page.text
    data = {"stage": diary.study.pk, "quantity": "1", "client_token": token}

    first = member.post(DAY_URL, data)
    again = member.post(DAY_URL, data, follow=True)  # a double click, or a retry after an error page

    assert first.url == DAY_URL
    assert again.redirect_chain == [(DAY_URL, 302)]
    assert "Đã lưu." in [str(m) for m in again.context["messages"]]
    entry = DiaryEntry.objects.get()
    assert (entry.person, entry.client_token) == (org.member1, token)
    assert again.context["form"].initial["client_token"] != token  # the next form is a new one


def test_two_add_forms_add_two_entries(member, diary):
    for _ in range(2):
        token = member.get(DAY_URL).context["form"].initial["client_token"]
        member.post(DAY_URL, {"stage": diary.study.pk, "quantity": "1", "client_token": token})

    assert DiaryEntry.objects.count() == 2


def test_adding_with_htmx_returns_the_day_panel_with_the_new_total(member, diary):
    response = member.post(DAY_URL, {"stage": diary.study.pk, "quantity": "2"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="day-panel"')
    assert response.context["totals"].minutes == Decimal(120)


@pytest.mark.parametrize(
    "data",
    [
        {"stage": "", "quantity": "1"},
        {"stage": "abc", "quantity": "1"},
        {"stage": "999999", "quantity": "1"},
        {"quantity": "nhiều"},
        {"quantity": "0"},
        {"quantity": "1", "estimate_minutes": "-5"},
        {"quantity": "1", "description": "x" * 1001},
        {"quantity": "1", "description": "a\x00b"},
    ],
)
def test_bad_input_redisplays_the_form_and_saves_nothing(member, diary, data):
    data = {"stage": diary.study.pk, **data}

    response = member.post(DAY_URL, data)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not DiaryEntry.objects.exists()


def test_a_stage_of_another_agency_cannot_be_posted(member, org, diary):
    from catalog.tests.factories import CatalogVersionFactory, StageFactory, StandardTaskFactory

    foreign = StageFactory(task=StandardTaskFactory(version=CatalogVersionFactory(agency=org.other_agency)))

    response = member.post(DAY_URL, {"stage": foreign.pk, "quantity": "1"})

    assert "stage" in response.context["form"].errors
    assert not DiaryEntry.objects.exists()


def test_a_future_day_shows_no_form(member):
    response = member.get(reverse("worklog:day", args=[TODAY + datetime.timedelta(days=1)]))

    assert response.context["form"] is None
    assert not response.context["is_open"]


@pytest.mark.parametrize("bad", ["2026-02-30", "2026-13-01", "hom-nay"])
def test_an_impossible_date_is_not_found(member, bad):
    assert member.get(f"/diary/day/{bad}/").status_code == 404


def test_another_persons_entry_cannot_be_read_edited_or_deleted_by_changing_its_id(member, org, diary):
    theirs = DiaryEntryFactory(person=org.member2, unit=org.unit1, stage=diary.study)

    assert member.get(reverse("worklog:entry_edit", args=[theirs.pk])).status_code == 404
    assert (
        member.post(
            reverse("worklog:entry_edit", args=[theirs.pk]), {"stage": diary.study.pk, "quantity": "9"}
        ).status_code
        == 404
    )
    assert member.post(reverse("worklog:entry_delete", args=[theirs.pk]), {"version": 1}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.quantity == Decimal(1)


def test_the_day_page_shows_only_ones_own_entries(member, org, diary):
    DiaryEntryFactory(
        person=org.member2, unit=org.unit1, stage=diary.study, description="Bí mật của người khác"
    )

    response = member.get(DAY_URL)

    assert "Bí mật của người khác" not in response.text
    assert response.context["entries"] == []


def test_editing_an_own_draft(member, diary, org):
    (entry,) = entries(org, 1, stage=diary.study)

    member.post(
        reverse("worklog:entry_edit", args=[entry.pk]),
        {"stage": diary.study.pk, "quantity": "3", "version": 1},
    )

    entry.refresh_from_db()
    assert (entry.quantity, entry.version) == (Decimal(3), 2)


def test_an_approved_entry_offers_no_edit_and_a_forged_post_is_refused(member, org, diary):
    (entry,) = entries(org, 1, stage=diary.study, status=EntryStatus.APPROVED)

    page = member.get(DAY_URL)
    forged = member.post(
        reverse("worklog:entry_edit", args=[entry.pk]),
        {"stage": diary.study.pk, "quantity": "9", "version": 1},
    )
    deleted = member.post(reverse("worklog:entry_delete", args=[entry.pk]), {"version": 1}, follow=True)

    assert reverse("worklog:entry_edit", args=[entry.pk]) not in page.text
    assert forged.status_code == 302
    assert {m.level_tag for m in deleted.context["messages"]} == {"error"}
    entry.refresh_from_db()
    assert (entry.quantity, entry.status) == (Decimal(1), EntryStatus.APPROVED)


def test_a_returned_entry_shows_its_reason(member, org, diary):
    DiaryEntryFactory(
        person=org.member1, unit=org.unit1, stage=diary.study, status=EntryStatus.RETURNED,
        return_reason="Thiếu số công văn",
    )  # fmt: skip

    assert "Thiếu số công văn" in member.get(DAY_URL).text


def test_deleting_asks_first_without_javascript(member, org, diary):
    (entry,) = entries(org, 1, stage=diary.study)

    assert member.get(reverse("worklog:entry_delete", args=[entry.pk])).status_code == 200
    member.post(reverse("worklog:entry_delete", args=[entry.pk]), {"version": entry.version})
    assert not DiaryEntry.objects.exists()


def test_submitting_the_day_and_the_week(member, org, diary):
    entries(org, 1, stage=diary.study, day=datetime.date(2026, 3, 9))
    entries(org, 1, stage=diary.study)

    member.post(reverse("worklog:day_submit", args=[TODAY]))
    assert DiaryEntry.objects.filter(status=EntryStatus.SUBMITTED).count() == 1
    member.post(reverse("worklog:week_submit", args=[TODAY]))
    assert DiaryEntry.objects.filter(status=EntryStatus.SUBMITTED).count() == 2


def test_submit_needs_a_post(member):
    assert member.get(reverse("worklog:day_submit", args=[TODAY])).status_code == 405


def test_copying_a_day(member, org, diary):
    entries(org, 2, stage=diary.study, day=datetime.date(2026, 3, 9))

    member.post(reverse("worklog:day_copy", args=[TODAY]), {"source": "09/03/2026"})

    assert DiaryEntry.objects.filter(date=TODAY).count() == 2


def test_a_monday_offers_to_copy_the_friday_before(member):
    response = member.get(reverse("worklog:day", args=["2026-03-09"]))  # Monday

    assert response.context["copy_form"].initial["source"] == datetime.date(2026, 3, 6)
    assert 'value="06/03/2026"' in response.content.decode() or "2026-03-06" in response.content.decode()


def test_copying_with_a_bad_date_says_so(member):
    response = member.post(reverse("worklog:day_copy", args=[TODAY]), {"source": "hôm qua"}, follow=True)

    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_the_week_shows_totals_per_day_and_week(member, org, diary):
    entries(org, 2, stage=diary.study, day=datetime.date(2026, 3, 9))
    entries(org, 1, stage=diary.budget_review)

    response = member.get(reverse("worklog:week", args=[TODAY]))

    totals = [total for _day, total, _cell in response.context["columns"]]
    assert totals == [Decimal(120), Decimal(240), 0, 0, 0]
    assert response.context["week_minutes"] == Decimal(360)


def test_the_month_colours_each_day_by_state(member, org, diary):
    entries(org, 1, stage=diary.study, day=datetime.date(2026, 3, 9), status=EntryStatus.APPROVED)
    DiaryEntryFactory(
        person=org.member1,
        unit=org.unit1,
        stage=diary.study,
        status=EntryStatus.RETURNED,
        return_reason="Sai",
    )

    response = member.get(reverse("worklog:month", args=[2026, 3]))

    states = {c.date: c.state for week in response.context["weeks"] for c in week}
    assert states[datetime.date(2026, 3, 9)] == "approved"
    assert states[TODAY] == "returned"
    assert states[datetime.date(2026, 3, 11)] == "none"
    off = {c.date for week in response.context["weeks"] for c in week if not c.is_working_day}
    assert datetime.date(2026, 3, 7) in off


@pytest.mark.parametrize("month", ["2026-13", "1999-01"])
def test_an_impossible_month_is_not_found(member, month):
    assert member.get(f"/diary/month/{month}/").status_code == 404


@pytest.mark.parametrize("count", [1, 200])
@pytest.mark.parametrize(
    "url",
    [DAY_URL, reverse("worklog:week", args=[TODAY]), reverse("worklog:month", args=[2026, 3])],
)
def test_pages_run_a_fixed_number_of_queries_with_1_or_200_entries(
    member, org, diary, django_assert_max_num_queries, count, url
):
    days = [TODAY - datetime.timedelta(days=d) for d in range(5)]
    for index in range(count):
        DiaryEntryFactory(person=org.member1, unit=org.unit1, stage=diary.study, date=days[index % 5])

    with django_assert_max_num_queries(28):
        response = member.get(url)
    assert response.status_code == 200


def test_hr_reopens_an_approved_entry_from_the_browser(client, org, diary):
    (entry,) = entries(org, 1, stage=diary.study, status=EntryStatus.APPROVED)
    client.force_login(org.hr)
    url = reverse("worklog:entry_reopen", args=[entry.pk])

    assert client.get(url).status_code == 200
    empty = client.post(url, {"reason": ""})
    assert empty.context["form"].errors
    client.post(url, {"reason": "Nhập nhầm số lượng"})
    entry.refresh_from_db()
    assert entry.status == EntryStatus.RETURNED


@pytest.mark.parametrize(("who", "status"), [("member1", 403), ("head1", 403), ("leader_b", 404)])
def test_others_cannot_reach_the_reopen_page(client, org, diary, who, status):
    # The owner and the reviewer read the entry, so they are refused; another agency never learns of it.
    (entry,) = entries(org, 1, stage=diary.study, status=EntryStatus.APPROVED)
    client.force_login(getattr(org, who))

    assert (
        client.post(reverse("worklog:entry_reopen", args=[entry.pk]), {"reason": "x"}).status_code == status
    )
    entry.refresh_from_db()
    assert entry.status == EntryStatus.APPROVED


def test_a_supervisor_reopens_a_day_from_the_browser(client, org, diary):
    client.force_login(org.head1)
    url = reverse("worklog:day_reopen", args=[org.member1.pk])

    assert client.get(url).status_code == 200
    client.post(url, {"date": "20/02/2026", "reason": "Đi công tác"})

    assert org.member1.reopened_days.get().date == datetime.date(2026, 2, 20)


@pytest.mark.parametrize(("who", "status"), [("member2", 404), ("member1", 403), ("leader_b", 404)])
def test_only_a_reviewer_may_open_the_day_reopen_page_of_a_person(client, org, diary, who, status):
    client.force_login(getattr(org, who))

    assert client.get(reverse("worklog:day_reopen", args=[org.member1.pk])).status_code == status


def test_a_reader_who_is_not_the_reviewer_is_refused(client, org, diary):
    client.force_login(org.leader)  # reads the agency, but does not review member1

    response = client.post(
        reverse("worklog:day_reopen", args=[org.member1.pk]), {"date": "20/02/2026", "reason": "x"}
    )

    assert response.status_code == 403
    assert not org.member1.reopened_days.exists()


def test_a_day_the_reviewer_did_not_review_is_refused_with_a_message(client, org, diary):
    day = datetime.date(2026, 2, 20)
    DelegationFactory(delegator=org.head1, delegate=org.member2, start=day, end=day)
    client.force_login(org.head1)  # member1's reviewer today, but member2 reviewed them that day

    response = client.post(
        reverse("worklog:day_reopen", args=[org.member1.pk]), {"date": "20/02/2026", "reason": "x"}
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not org.member1.reopened_days.exists()


def test_text_is_escaped_on_the_page(member, org, diary):
    member.post(
        DAY_URL, {"stage": diary.study.pk, "quantity": "1", "description": "<script>alert('x')</script>"}
    )

    response = member.get(DAY_URL)

    assert "<script>alert('x')</script>" not in response.text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in response.text
