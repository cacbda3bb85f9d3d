"""HR sets up the second factor in Chromium: no HR page before it, the QR code and the secret, the
recovery codes once, then the code at every sign-in."""

import base64
import binascii
import re
import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from org.tests.sign_in import DEMO_PASSWORD, code_for

pytestmark = [pytest.mark.browser, pytest.mark.clock_free, pytest.mark.django_db(transaction=True)]


def password_step(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()


def test_tochuc_sets_up_the_app_and_then_signs_in_with_its_code(page, demo):
    TOTPDevice.objects.filter(user__username="tochuc").delete()  # as before the demo seeded one

    password_step(page, "tochuc")
    expect(page).to_have_url(re.compile(r"/accounts/second-factor/setup/"))
    expect(page.get_by_role("heading", name="Cài đặt xác thực hai lớp")).to_be_visible()
    expect(page.locator(".otp-qr svg")).to_be_visible()
    page.goto("/reports/")
    expect(page).to_have_url(re.compile(r"/accounts/second-factor/setup/\?next=%2Freports%2F"))

    secret = page.locator("[data-otp-secret]").inner_text().replace(" ", "")
    totp = TOTP(base64.b32decode(secret), step=30, t0=0, digits=6)
    totp.time = time.time()
    page.get_by_label("Mã xác thực").fill(f"{(totp.token() + 1) % 1_000_000:06d}")
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_text("Mã xác thực không đúng", exact=False)).to_be_visible()

    totp.time = time.time()
    page.get_by_label("Mã xác thực").fill(f"{totp.token():06d}")
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("heading", name="Mã khôi phục")).to_be_visible()
    expect(page.locator("[data-recovery-code]")).to_have_count(10)
    page.get_by_role("link", name="Tôi đã cất giữ các mã: tiếp tục").click()
    expect(page).to_have_url(re.compile(r"/reports/"))  # the agency's report page

    page.get_by_role("button", name="Đăng xuất").first.click()
    password_step(page, "tochuc")
    expect(page).to_have_url(re.compile(r"/accounts/second-factor/\?next="))
    device = TOTPDevice.objects.get(user__username="tochuc")
    assert device.key == binascii.hexlify(base64.b32decode(secret)).decode()
    page.get_by_label("Mã xác thực").fill(code_for(device))
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("heading", name="Xin chào", exact=False)).to_be_visible()


def test_canbo_is_not_asked_for_a_code_and_giamdoc_is(page, demo):
    password_step(page, "canbo")
    expect(page.get_by_role("heading", name="Xin chào", exact=False)).to_be_visible()
    page.get_by_role("button", name="Đăng xuất").first.click()

    password_step(page, "giamdoc")
    expect(page.get_by_role("heading", name="Mã xác thực")).to_be_visible()
    page.goto("/review/")
    expect(page).to_have_url(re.compile(r"/accounts/second-factor/\?next=%2Freview%2F"))
    device = TOTPDevice.objects.get(user__username="giamdoc")  # the demo secret
    page.get_by_label("Mã xác thực").fill(code_for(device))
    page.get_by_role("button", name="Xác nhận").click()
    expect(page).to_have_url(re.compile(r"/review/$"))
