"""Signing in from tests, second factor included (org/otp.py).

``log_in(tab, username)`` is the one browser sign-in of the test suite: the password, then the app
code when the account is asked for one, computed from the device's secret as an authenticator app
would (the demo's accounts hold ``demo.second_factor.DEMO_TOTP_SECRET``).

``verified_session(client, user)``: ``Client.force_login`` skips the login page, so the root
``conftest.py`` follows it with this for people who need a second factor: the session is marked as
verified by a real confirmed app of theirs (created for the test when they have none), exactly what
``django_otp.login`` stores after a code. Enforcement stays on: a client that signs in with
``client.login`` or the login page still has to give a code.
"""

from __future__ import annotations

import re
import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from org import otp
from org.models import User

DEMO_PASSWORD = "KpiDemo@2025"
CODE_PAGE = re.compile(r"/accounts/second-factor/")


def app_of(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def code_for(device: TOTPDevice) -> str:
    """A code the device accepts now: the current one, or the next (within its tolerance) when the
    current one was used already (a second sign-in within the same 30 seconds)."""
    while True:
        device.refresh_from_db()
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        ahead = device.last_t + 1 - totp.t()
        if ahead <= min(device.tolerance, 1):
            totp.time += max(ahead, 0) * device.step
            return f"{totp.token():0{device.digits}d}"
        time.sleep(1)


def log_in(tab, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign a demo user in through the login page, with the app code when it is asked for."""
    from playwright.sync_api import expect

    tab.goto("/accounts/login/")
    tab.fill("input[name=username]", username)
    tab.fill("input[name=password]", password)
    tab.locator("main form button[type=submit]").click()
    expect(tab).not_to_have_url(re.compile(r"/accounts/login/"))
    if CODE_PAGE.search(tab.url):
        device = app_of(User.objects.get(username=username))
        assert device is not None, f"{username} is asked for a code but has no app"
        tab.fill("input[name=code]", code_for(device))
        tab.locator("main form button[type=submit]").first.click()
        expect(tab).not_to_have_url(CODE_PAGE)


def verified_session(client, user: User) -> None:
    """Mark the client's session (just signed in with ``force_login``) as verified by the user's app."""
    if not otp.needs_second_factor(User.objects.get(pk=user.pk)):
        return
    device = app_of(user) or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
