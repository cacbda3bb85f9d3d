"""canbo's diary in Chromium: log three entries, submit the week, correct a returned one."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from catalog import selectors as catalog_selectors
from catalog.models import Stage
from org import selectors as org_selectors
from org.models import Agency, User
from org.tests.sign_in import log_in as sign_in
from worklog.models import DiaryEntry, EntryStatus

from .factories import DiaryEntryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scene(demo):
    """The demo, with canbo's week holding only today's returned and approved entries."""
    canbo = User.objects.get(username="canbo")
    today = org_selectors.today()
    monday = today - datetime.timedelta(days=today.weekday())
    week = (monday, monday + datetime.timedelta(days=6))
    # Whatever the demo logged this week would change the totals and what the week submits.
    DiaryEntry.objects.filter(person=canbo, date__range=week).delete()
    version = catalog_selectors.version_on(Agency.objects.get(code="STC"), today)
    stages = {
        (s.task.code, s.order): s
        for s in Stage.objects.filter(task__version=version, task__code__in=["B.08", "D.03"]).select_related(
            "task"
        )
    }
    unit = canbo.memberships.get(end__isnull=True).unit
    returned = DiaryEntryFactory(
        person=canbo, unit=unit, stage=stages[("D.03", 2)], date=today, status=EntryStatus.RETURNED,
        return_reason="Số lượng chưa đúng, đề nghị kê khai lại", description="Nhiệm vụ đột xuất",
    )  # fmt: skip
    approved = DiaryEntryFactory(
        person=canbo, unit=unit, stage=stages[("D.03", 1)], date=today, status=EntryStatus.APPROVED,
        description="Đã được duyệt",
    )  # fmt: skip
    return {"today": today, "week": week, "stages": stages, "returned": returned, "approved": approved}


def log_in(page):
    sign_in(page, "canbo")


def add_entry(page, *, search: str, stage_pk: int, quantity: str):
    form = page.locator("form", has=page.get_by_role("button", name="Thêm", exact=True))
    form.get_by_placeholder("Tìm công việc…").fill(search)
    form.locator("select[name=stage]").select_option(str(stage_pk))
    form.locator("input[name=quantity]").fill(quantity)
    form.get_by_role("button", name="Thêm", exact=True).click()


def test_canbo_logs_a_day_corrects_a_returned_entry_and_submits_the_week(page, scene):
    log_in(page)
    page.get_by_role("link", name="Nhật ký công việc").first.click()
    entries = page.get_by_test_id("entry")
    expect(entries).to_have_count(2)
    expect(page.get_by_test_id("return-reason")).to_contain_text("Số lượng chưa đúng, đề nghị kê khai lại")

    add_entry(page, search="van ban den", stage_pk=scene["stages"][("B.08", 1)].pk, quantity="6")  # 60 min
    expect(entries).to_have_count(3)
    add_entry(page, search="van ban den", stage_pk=scene["stages"][("B.08", 2)].pk, quantity="3")  # 30 min
    expect(entries).to_have_count(4)
    add_entry(page, search="dot xuat", stage_pk=scene["stages"][("D.03", 3)].pk, quantity="1,5")  # 30 min
    expect(entries).to_have_count(5)
    # 180 (returned) + 30 (approved) + 60 + 30 + 30 = 330 minutes = 5,5 hours
    expect(page.get_by_test_id("day-total")).to_contain_text("5,5")

    returned_row = page.locator("[data-testid=entry][data-status=returned]")
    returned_row.get_by_role("link", name="Sửa").click()
    editor = page.get_by_test_id("entry-edit")
    editor.locator("input[name=quantity]").fill("0,5")
    editor.get_by_role("button", name="Lưu").click()
    expect(page.get_by_test_id("day-total")).to_contain_text("4")  # 330 − 90 = 240 minutes

    approved_row = page.locator("[data-testid=entry][data-status=approved]")
    expect(approved_row.get_by_role("link", name="Sửa")).to_have_count(0)

    page.get_by_role("link", name="Tuần", exact=True).click()
    page.get_by_role("button", name="Nộp cả tuần").click()
    expect(page.get_by_role("alert").filter(has_text="đã nộp")).to_be_visible()
    week = DiaryEntry.objects.filter(person__username="canbo", date__range=scene["week"])
    statuses = set(week.values_list("status", flat=True))
    assert statuses == {EntryStatus.SUBMITTED, EntryStatus.APPROVED}
    corrected = DiaryEntry.objects.get(pk=scene["returned"].pk)
    assert (corrected.status, corrected.quantity, corrected.return_reason) == (
        EntryStatus.SUBMITTED,
        Decimal("0.5"),
        "",
    )

    # A forged POST to change the approved entry is refused and changes nothing.
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        f"/diary/entries/{scene['approved'].pk}/edit/",
        form={"stage": str(scene["stages"][("D.03", 1)].pk), "quantity": "40", "version": "1"},
        headers={"X-CSRFToken": csrf, "Referer": page.url},
        max_redirects=0,
    )
    assert response.status == 302
    approved = DiaryEntry.objects.get(pk=scene["approved"].pk)
    assert (approved.status, approved.quantity) == (EntryStatus.APPROVED, Decimal(1))


def test_the_month_calendar_shows_the_days_state(page, scene):
    log_in(page)
    today = scene["today"]

    page.goto(f"/diary/month/{today.year}-{today.month}/")

    expect(page.get_by_test_id(f"day-{today.isoformat()}")).to_have_attribute("data-state", "returned")


def test_canbo_adds_entries_from_the_keyboard_and_the_search_is_ready_after_each(page, scene):
    log_in(page)
    page.get_by_role("link", name="Nhật ký công việc").first.click()
    entries = page.get_by_test_id("entry")
    expect(entries).to_have_count(2)

    search = page.locator("#add-entry input[type=search]")
    # The search box is added by diary.js once it has run: from then on "/" is heard.
    expect(search).to_be_visible()
    page.locator("main h1").click()  # not in a field: "/" jumps to the task search
    page.keyboard.press("/")
    expect(search).to_be_focused()
    page.keyboard.type("van ban den")
    form = page.locator("#add-entry form")
    form.locator("input[name=quantity]").fill("1/2")
    form.locator("input[name=estimate_minutes]").fill("1,5h")
    chosen = int(form.locator("select[name=stage]").input_value())  # the first task the search matched
    form.locator("input[name=quantity]").press("Enter")

    expect(entries).to_have_count(3)
    # The next entry starts at the search, without a click.
    expect(page.locator("#add-entry input[type=search]")).to_be_focused()
    canbo = User.objects.get(username="canbo")
    added = DiaryEntry.objects.filter(person=canbo, date=scene["today"]).order_by("-pk").first()
    assert (added.stage_id, added.quantity, added.estimate_minutes) == (chosen, Decimal("0.50"), 90)
