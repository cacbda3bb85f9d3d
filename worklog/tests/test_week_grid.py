"""The week grid: typing a quantity in a cell logs, changes or deletes an entry through the diary's
services, with the day page's rules and messages; without JavaScript the grid is one form."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from org.models import CalendarOverride, Leave
from worklog.models import DiaryEntry, EntryStatus

from .factories import DiaryEntryFactory

pytestmark = pytest.mark.usefixtures("frozen_now")

TODAY = datetime.date(2026, 3, 10)  # a Tuesday
MONDAY = datetime.date(2026, 3, 9)
WEEK_URL = reverse("worklog:week", args=[MONDAY])
CELL_URL = reverse("worklog:week_cell", args=[MONDAY])
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def member(client, org, diary):
    client.force_login(org.member1)
    return client


def key(stage, day=TODAY) -> str:
    return f"{stage.task.code}|{stage.order}|{day.isoformat()}"


def post_cell(client, stage, value, *, day=TODAY, entry=None, version=None):
    data = {"cell": key(stage, day), key(stage, day): value}
    if entry is not None:
        data[f"entry|{key(stage, day)}"] = f"{entry.pk}:{entry.version if version is None else version}"
    return client.post(CELL_URL, data, **HTMX)


def entry(org, stage, *, day=TODAY, quantity="1", status=EntryStatus.DRAFT, person=None):
    return DiaryEntryFactory(
        person=person or org.member1,
        unit=org.unit1,
        stage=stage,
        date=day,
        quantity=Decimal(quantity),
        status=status,
        **({"return_reason": "Sai"} if status == EntryStatus.RETURNED else {}),
    )


def test_rows_are_the_stages_used_in_the_last_four_weeks_and_this_week(member, org, diary):
    entry(org, diary.study, day=MONDAY - datetime.timedelta(days=20))
    entry(org, diary.budget_review, day=MONDAY - datetime.timedelta(days=40))  # too old
    entry(org, diary.budget_intake)

    response = member.get(WEEK_URL)

    rows = [row.key for row in response.context["grid"].rows]
    assert rows == [("C.01", 1), ("D.01", 1)]
    assert response.context["grid"].rows[0].cells[1].value == "1"


def test_typing_a_quantity_in_an_empty_cell_logs_an_entry_with_the_frozen_norm(member, org, diary):
    entry(org, diary.study, day=MONDAY)  # gives the row

    response = post_cell(member, diary.study, "1,5")

    assert response.status_code == 200
    added = DiaryEntry.objects.get(date=TODAY)
    assert (added.person, added.stage, added.quantity, added.norm_minutes, added.standard_minutes) == (
        org.member1,
        diary.study,
        Decimal("1.5"),
        60,
        Decimal(90),
    )
    html = response.content.decode()
    assert 'value="1,5"' in html
    assert f'value="{added.pk}:{added.version}"' in html  # the next change updates this entry
    assert 'id="day-total-2026-03-10"' in html and "1,5</span> / 8,0" in html


def test_changing_a_cell_updates_its_entry_and_emptying_it_deletes_the_draft(member, org, diary):
    draft = entry(org, diary.study, quantity="2")
    draft.description = "Lớp bồi dưỡng"
    draft.save()

    post_cell(member, diary.study, "3", entry=draft)
    draft.refresh_from_db()
    assert (draft.quantity, draft.standard_minutes, draft.description) == (
        Decimal(3),
        Decimal(180),
        "Lớp bồi dưỡng",
    )

    post_cell(member, diary.study, "", entry=draft)
    assert not DiaryEntry.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("nhiều", "Nhập số lượng dạng 1, 0,5 hoặc 1/2."),
        ("-1", "Số lượng phải lớn hơn 0"),
        ("13", "vượt mức trần 12,0 giờ"),
    ],
)
def test_a_bad_quantity_shows_its_message_in_the_cell_and_changes_nothing(member, org, diary, value, message):
    draft = entry(org, diary.study, quantity="2")

    response = post_cell(member, diary.study, value, entry=draft)

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "is-invalid" in html
    assert f'value="{value}"' in html  # what was typed stays, to correct it
    draft.refresh_from_db()
    assert draft.quantity == Decimal(2)
    assert DiaryEntry.objects.count() == 1


def test_a_day_outside_the_backdating_window_is_refused_in_the_cell(member, org, diary):
    old = datetime.date(2026, 2, 27)  # the window is 5 working days: from 03/03
    entry(org, diary.study, day=old - datetime.timedelta(days=4))  # gives the row
    url = reverse("worklog:week_cell", args=[old])
    data = {"cell": key(diary.study, old), key(diary.study, old): "1"}

    response = member.post(url, data, **HTMX)

    assert response.status_code == 200
    assert "đề nghị lãnh đạo phòng mở lại ngày" in response.content.decode()
    assert DiaryEntry.objects.count() == 1


def test_a_future_day_is_refused_in_the_cell(member, org, diary):
    entry(org, diary.study, day=MONDAY)

    response = post_cell(member, diary.study, "1", day=TODAY + datetime.timedelta(days=1))

    assert "tương lai" in response.content.decode()
    assert DiaryEntry.objects.count() == 1


def test_a_submitted_entry_is_read_only_in_the_grid_and_a_forged_change_is_refused(member, org, diary):
    submitted = entry(org, diary.study, status=EntryStatus.SUBMITTED)

    page = member.get(WEEK_URL).content.decode()
    assert f'name="{key(diary.study)}"' not in page
    assert reverse("worklog:day", args=[TODAY]) in page

    response = post_cell(member, diary.study, "5", entry=submitted)

    assert "Hãy sửa ở trang ngày" in response.content.decode()
    submitted.refresh_from_db()
    assert (submitted.quantity, submitted.status) == (Decimal(1), EntryStatus.SUBMITTED)


def test_a_cell_with_two_entries_links_to_the_day_instead(member, org, diary):
    entry(org, diary.study)
    entry(org, diary.study)

    response = member.get(WEEK_URL)

    cell = response.context["grid"].rows[0].cells[1]
    assert not cell.editable and cell.value == "2"
    assert post_cell(member, diary.study, "1").status_code == 200
    assert DiaryEntry.objects.filter(quantity=1).count() == 2


def test_another_persons_entry_id_is_refused_and_left_alone(member, org, diary):
    entry(org, diary.study, day=MONDAY)
    theirs = entry(org, diary.study, person=org.member2, quantity="2")

    response = post_cell(member, diary.study, "7", entry=theirs)

    assert "không thuộc ô này" in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.quantity == Decimal(2)
    assert not DiaryEntry.objects.filter(person=org.member1, date=TODAY).exists()


def test_a_stage_outside_the_catalog_or_week_is_not_found(member, org, diary):
    assert member.post(CELL_URL, {"cell": "Z.99|1|2026-03-10"}, **HTMX).status_code == 404
    assert (
        member.post(CELL_URL, {"cell": key(diary.study, TODAY + datetime.timedelta(days=9))}).status_code
        == 404
    )
    assert member.post(CELL_URL, {"cell": "rác"}, **HTMX).status_code == 404


def test_someone_without_a_diary_is_forbidden(client, org, diary):
    from org.tests.factories import UserFactory

    client.force_login(UserFactory())

    assert client.post(CELL_URL, {"cell": key(diary.study), key(diary.study): "1"}, **HTMX).status_code == 403
    assert client.post(WEEK_URL, {key(diary.study): "1"}).status_code == 403
    assert not DiaryEntry.objects.exists()


def test_anonymous_visitors_are_sent_to_login(client, db):
    assert client.post(CELL_URL, {}).url.startswith(reverse("login"))


def test_the_week_page_never_writes_on_get(member, org, diary):
    entry(org, diary.study)

    member.get(WEEK_URL, {key(diary.study): "5", "add": diary.budget_review.pk})

    assert DiaryEntry.objects.get().quantity == Decimal(1)


def test_a_row_is_added_by_searching_the_catalog(member, org, diary):
    response = member.get(WEEK_URL, {"add": diary.budget_review.pk})

    assert [row.key for row in response.context["grid"].rows] == [("C.01", 2)]
    assert 'name="row" value="C.01|2"' in response.content.decode()
    assert str(diary.budget_review.pk) in response.content.decode()  # the search offers the catalog

    post_cell(member, diary.budget_review, "1")
    assert DiaryEntry.objects.get().stage == diary.budget_review


def test_the_whole_form_saves_the_changed_cell_and_leaves_the_other_rows_untouched(member, org, diary):
    kept = entry(org, diary.study, day=MONDAY, quantity="2")
    changed = entry(org, diary.budget_intake, quantity="1")
    page = member.get(WEEK_URL)
    form = {"csrfmiddlewaretoken": "x"}
    for cell in page.context["grid"].cells():
        if cell.editable:
            form[cell.key] = cell.value
            form[f"entry|{cell.key}"] = f"{cell.entry.pk}:{cell.entry.version}" if cell.entry else ""
    form[key(diary.budget_intake)] = "2"

    response = member.post(WEEK_URL, form)

    assert response.status_code == 302
    changed.refresh_from_db()
    kept.refresh_from_db()
    assert (changed.quantity, changed.version) == (Decimal(2), 2)
    assert (kept.quantity, kept.version) == (Decimal(2), 1)
    assert DiaryEntry.objects.count() == 2


def test_the_whole_form_saves_nothing_when_one_cell_is_refused(member, org, diary):
    entry(org, diary.study, day=MONDAY)
    form = {key(diary.study, MONDAY): "2", key(diary.study): "20"}  # 20 hours on Tuesday: over the cap

    response = member.post(WEEK_URL, form)

    assert response.status_code == 200
    assert "vượt mức trần" in response.content.decode()
    assert "Chưa lưu gì" in response.content.decode()
    assert f'name="{key(diary.study, MONDAY)}" value="2"' in response.content.decode()  # kept to send again
    assert list(DiaryEntry.objects.values_list("date", "quantity")) == [(MONDAY, Decimal(1))]


def test_totals_count_a_holiday_off(member, org, diary):
    monday = datetime.date(2026, 4, 27)  # Hùng Kings (observed) 27/04, 30/04 and 01/05 are holidays

    response = member.get(reverse("worklog:week", args=[monday]))

    grid = response.context["grid"]
    assert [d.expected_minutes for d in grid.days] == [0, 480, 480, 0, 0, 0, 0]
    assert grid.expected_minutes == 960
    assert "0,0</span> / 16,0" in response.content.decode()


def test_totals_take_two_days_of_leave_off(member, org, diary):
    CalendarOverride.objects.create(date=datetime.date(2026, 3, 13), is_working_day=False, reason="Nghỉ bù")
    Leave.objects.create(
        person=org.member1,
        agency=org.agency,
        start=datetime.date(2026, 3, 10),
        end=datetime.date(2026, 3, 11),
    )
    entry(org, diary.budget_review, day=MONDAY)  # 4 hours

    response = member.get(WEEK_URL)

    grid = response.context["grid"]
    assert [d.on_leave for d in grid.days][:5] == [False, True, True, False, False]
    assert grid.expected_minutes == 2 * 480  # Monday and Thursday
    assert "4,0</span> / 16,0" in response.content.decode()


def test_the_weekend_is_collapsed_unless_it_holds_entries(member, org, diary):
    assert len(member.get(WEEK_URL).context["grid"].shown_days) == 5
    assert len(member.get(WEEK_URL, {"weekend": "1"}).context["grid"].shown_days) == 7

    entry(org, diary.study, day=datetime.date(2026, 3, 14))  # Saturday overtime

    response = member.get(WEEK_URL)
    assert [d.date.weekday() for d in response.context["grid"].shown_days] == [0, 1, 2, 3, 4, 5]
    assert response.context["week_minutes"] == Decimal(60)


@pytest.mark.parametrize("rows", [1, 30])
def test_the_week_page_runs_a_fixed_number_of_queries(
    member, org, diary, django_assert_max_num_queries, rows
):
    from catalog.tests.factories import StageFactory, StandardTaskFactory

    for index in range(rows):
        task = StandardTaskFactory(version=diary.study.task.version, code=f"D.{index + 10}", group="D")
        stage = StageFactory(task=task, order=1, norm_minutes=10)
        entry(org, stage, day=MONDAY - datetime.timedelta(days=index % 20))

    with django_assert_max_num_queries(30):
        response = member.get(WEEK_URL)

    assert len(response.context["grid"].rows) == rows


def test_saving_a_cell_runs_a_bounded_number_of_queries(member, org, diary, django_assert_max_num_queries):
    entry(org, diary.study, day=MONDAY)

    with django_assert_max_num_queries(60):
        post_cell(member, diary.study, "1")
