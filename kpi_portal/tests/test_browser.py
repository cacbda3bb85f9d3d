"""The first journey in a real browser: log in in Vietnamese, switch to English, log out."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.clock_free, pytest.mark.django_db(transaction=True)]


def log_in(page, username: str, password: str) -> None:
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("form button[type=submit]", has_text="Đăng nhập").click()


def test_canbo_logs_in_in_vietnamese_switches_to_english_and_logs_out(page, demo):
    page.goto("/")
    expect(page).to_have_url("/accounts/login/?next=/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()

    log_in(page, "canbo", "sai-mat-khau")
    expect(page.get_by_text("Tên đăng nhập hoặc mật khẩu không đúng")).to_be_visible()

    log_in(page, "canbo", "KpiDemo@2025")
    expect(page.get_by_role("heading", name="Xin chào, Lê Thị Thu Hà")).to_be_visible()
    expect(page.get_by_text("Phòng Quản lý Ngân sách").first).to_be_visible()
    expect(page.get_by_test_id("reviewer")).to_have_text("Trần Minh Đức")

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Hello, Lê Thị Thu Hà")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.reload()
    expect(page.get_by_role("heading", name="Hello, Lê Thị Thu Hà")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()


def test_a_browser_set_to_english_still_opens_in_vietnamese(browser, live_server, watch_csp):
    context = watch_csp(browser.new_context(locale="en-US", base_url=live_server.url))
    page = context.new_page()

    page.goto("/")

    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    context.close()


def test_the_menu_opens_on_a_phone(page, demo):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/accounts/login/")
    log_in(page, "truongphong", "KpiDemo@2025")

    logout = page.get_by_role("button", name="Đăng xuất")
    expect(logout).to_be_hidden()
    page.get_by_role("button", name="Mở menu").click()
    expect(logout).to_be_visible()
    page.get_by_role("link", name="Nhân sự").click()
    expect(page.get_by_role("heading", name="Nhân sự")).to_be_visible()
    expect(page.get_by_role("link", name="Lê Thị Thu Hà")).to_be_visible()
