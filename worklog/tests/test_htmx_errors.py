"""A failed htmx request on the day page says so in Vietnamese and leaves the page as it was.

htmx 2 swaps nothing on a 4xx/5xx answer or a network failure; ``static/js/htmx-errors.js`` shows an
alert instead of nothing. The failures are made by Playwright intercepting the request.
"""

import re

import pytest
from playwright.sync_api import expect

from catalog import selectors as catalog_selectors
from catalog.models import Stage
from org import selectors as org_selectors
from org.models import Agency, User
from worklog.models import DiaryEntry, EntryStatus

from .factories import DiaryEntryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EDIT = re.compile(r"/diary/entries/\d+/edit/$")


@pytest.fixture
def draft(demo):
    """canbo's day holds one draft entry, which can be edited (an htmx GET of the edit form)."""
    canbo = User.objects.get(username="canbo")
    today = org_selectors.today()
    DiaryEntry.objects.filter(person=canbo, date=today).delete()
    version = catalog_selectors.version_on(Agency.objects.get(code="STC"), today)
    stage = Stage.objects.filter(task__version=version, task__code="D.03").order_by("order").first()
    unit = canbo.memberships.get(end__isnull=True).unit
    return DiaryEntryFactory(
        person=canbo, unit=unit, stage=stage, date=today, status=EntryStatus.DRAFT, description="Bản nháp cũ"
    )


def open_day(open_as, draft):
    tab = open_as("canbo")
    tab.goto(f"/diary/day/{draft.date.isoformat()}/")
    expect(tab.get_by_test_id("entry")).to_have_count(1)
    expect(tab.get_by_test_id("htmx-error")).to_have_count(0)
    return tab


def expect_page_unchanged(tab):
    expect(tab.get_by_test_id("entry")).to_have_count(1)
    expect(tab.get_by_test_id("entry")).to_contain_text("Bản nháp cũ")
    expect(tab.get_by_test_id("entry-edit")).to_have_count(0)


def test_a_server_error_shows_an_alert_and_keeps_the_page(open_as, draft):
    tab = open_day(open_as, draft)
    tab.route(EDIT, lambda route: route.fulfill(status=500, body="Internal Server Error"))

    tab.get_by_test_id("entry").get_by_role("link", name="Sửa").click()

    alert = tab.get_by_role("alert").filter(has_text="Máy chủ gặp lỗi")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("thay đổi có thể chưa được lưu")
    expect(alert).to_contain_text("tải lại trang")
    expect(tab.get_by_test_id("htmx-error")).to_have_attribute("data-status", "500")
    expect_page_unchanged(tab)

    # It can be closed; the next failure shows one alert, not a pile of them.
    alert.get_by_role("button", name="Đóng").click()
    expect(tab.get_by_test_id("htmx-error")).to_have_count(0)
    tab.get_by_test_id("entry").get_by_role("link", name="Sửa").click()
    tab.get_by_test_id("entry").get_by_role("link", name="Sửa").click()
    expect(tab.get_by_test_id("htmx-error")).to_have_count(1)


def test_a_network_failure_shows_an_alert_and_keeps_the_page(open_as, draft):
    tab = open_day(open_as, draft)
    tab.route(EDIT, lambda route: route.abort("connectionrefused"))

    tab.get_by_test_id("entry").get_by_role("link", name="Sửa").click()

    expect(tab.get_by_role("alert").filter(has_text="Không kết nối được máy chủ")).to_be_visible()
    expect_page_unchanged(tab)


@pytest.mark.parametrize(
    ("status", "text"),
    [(403, "Bạn không có quyền"), (409, "Người khác vừa thay đổi"), (412, "Người khác vừa thay đổi")],
)
def test_a_refusal_or_a_conflict_says_which(open_as, draft, status, text):
    tab = open_day(open_as, draft)
    tab.route(EDIT, lambda route: route.fulfill(status=status, body=""))

    tab.get_by_test_id("entry").get_by_role("link", name="Sửa").click()

    expect(tab.get_by_role("alert").filter(has_text=text)).to_be_visible()
    expect_page_unchanged(tab)


def test_a_session_that_ended_does_not_put_the_login_page_in_the_panel(open_as, draft):
    tab = open_day(open_as, draft)
    tab.context.clear_cookies()  # logged out elsewhere, or the session expired

    tab.get_by_test_id("entry").get_by_role("link", name="Sửa").click()

    expect(tab.get_by_role("alert").filter(has_text="phiên đăng nhập đã hết hạn")).to_be_visible()
    expect_page_unchanged(tab)
    expect(tab.locator("#day-panel input[name=password]")).to_have_count(0)


def test_the_edit_still_works_when_nothing_fails(open_as, draft):
    tab = open_day(open_as, draft)

    tab.get_by_test_id("entry").get_by_role("link", name="Sửa").click()

    expect(tab.get_by_test_id("entry-edit")).to_be_visible()
    expect(tab.get_by_test_id("htmx-error")).to_have_count(0)
