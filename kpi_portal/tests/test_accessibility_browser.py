"""The main pages pass axe-core (no serious or critical finding) and the menu stays tidy.

Each page is opened as the demo user who uses it, at 1280×800; the menu must fit on one line
there for the leader and HR (who see the most items), and open with the keyboard on a phone.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from org import selectors as org_selectors
from org.tests.sign_in import log_in
from worklog.models import DiaryEntry

from .accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.clock_free, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def desktop_as(open_as):
    def desktop_as(username: str):
        tab = open_as(username)
        tab.set_viewport_size(DESKTOP)
        return tab

    return desktop_as


def assert_menu_on_one_line(page) -> None:
    """The bar is as tall as one line of links (a wrapped menu is two or three times as tall) and
    nothing of it sticks out to the right (a menu that cannot wrap overflows instead)."""
    link = page.locator("#main-nav .nav-link").first.bounding_box()
    bar = page.get_by_role("navigation", name="Điều hướng chính").bounding_box()
    assert link and bar
    assert bar["height"] < 2 * link["height"], (
        f"the menu wraps: bar {bar['height']}px, a link {link['height']}px"
    )
    widest = page.evaluate("() => document.documentElement.scrollWidth")
    assert widest <= DESKTOP["width"], f"the menu sticks out: the page is {widest}px wide"


def test_the_login_page_is_accessible(page):
    page.set_viewport_size(DESKTOP)
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()

    assert_accessible(page)


def test_the_diary_pages_and_the_evaluation_of_a_staff_member_are_accessible(desktop_as, demo):
    day = (
        DiaryEntry.objects.filter(person__username="canbo", date__lte=org_selectors.today())
        .latest("date")
        .date
    )
    canbo = desktop_as("canbo")

    canbo.goto(reverse("worklog:day", args=[day]))
    expect(canbo.locator("main h1")).to_be_visible()
    assert_accessible(canbo)

    canbo.goto(reverse("worklog:week", args=[day]))
    expect(canbo.locator("main h1")).to_be_visible()
    assert_accessible(canbo)

    canbo.goto(reverse("worklog:month", args=[day.year, day.month]))
    expect(canbo.get_by_test_id(f"day-{day:%Y-%m-%d}")).to_be_visible()
    assert_accessible(canbo)

    canbo.goto(reverse("evaluation:mine"))
    canbo.locator("main a[href*='/evaluations/']").first.click()
    expect(canbo.locator("main h1")).to_be_visible()
    assert_accessible(canbo)


def test_the_review_queue_is_accessible(desktop_as, demo):
    truongphong = desktop_as("truongphong")

    truongphong.goto(reverse("review:queue"))
    expect(truongphong.locator("main h1")).to_be_visible()

    assert_accessible(truongphong)


def test_the_leaders_dashboard_is_accessible_and_his_menu_fits_on_one_line(desktop_as, demo):
    giamdoc = desktop_as("giamdoc")

    giamdoc.goto(reverse("reports:agency", args=["STC"]))
    expect(giamdoc.locator("main h1")).to_be_visible()
    assert_accessible(giamdoc)
    assert_menu_on_one_line(giamdoc)

    # The management pages sit in one dropdown, which the keyboard opens and walks.
    management = giamdoc.get_by_test_id("nav-group-management").get_by_role("button", name="Quản lý")
    management.focus()
    giamdoc.keyboard.press("Enter")
    giamdoc.keyboard.press("ArrowDown")
    people = giamdoc.get_by_role("link", name="Nhân sự")
    expect(people).to_be_focused()
    giamdoc.keyboard.press("Enter")
    expect(giamdoc.get_by_role("heading", name="Nhân sự")).to_be_visible()
    expect(giamdoc.get_by_role("button", name="Quản lý")).to_have_class(re.compile(r"\bactive\b"))
    assert_accessible(giamdoc)


def test_the_hr_menu_fits_on_one_line(desktop_as, demo):
    tochuc = desktop_as("tochuc")

    expect(tochuc.get_by_role("link", name="Trang chủ")).to_be_visible()
    assert_menu_on_one_line(tochuc)
    assert_accessible(tochuc)


def test_on_a_phone_the_collapsed_menu_opens_with_the_keyboard(page, demo):
    page.set_viewport_size(PHONE)
    log_in(page, "giamdoc")
    people = page.get_by_role("link", name="Nhân sự")
    expect(people).to_be_hidden()

    page.get_by_role("button", name="Mở menu").focus()
    page.keyboard.press("Enter")

    expect(people).to_be_visible()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    assert_accessible(page)
