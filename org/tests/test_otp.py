"""The second factor (org/otp.py): who is asked, enrolment, the code after the password, recovery
codes, the throttle on wrong codes, an administrator's reset, and what stays out of it (the API)."""

import base64
import binascii
import datetime
import re
import time

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from api.services import api_client_create
from org import otp
from org.models import AuditEvent, Role
from org.tests.factories import PASSWORD, RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

VERIFY = reverse("org:otp_verify")
ENROL = reverse("org:otp_enrol")
KEY = binascii.hexlify(b"0123456789abcdefghij").decode()
HR_PAGES = ["/", "/reports/", "/leave/", "/people/", "/audit/", reverse("password_change")]


def code(key: str = KEY, *, at: float | None = None) -> str:
    totp = TOTP(binascii.unhexlify(key), step=30, t0=0, digits=6)
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


def wrong(right: str) -> str:
    return f"{(int(right) + 500_000) % 1_000_000:06d}"


def sign_in(client, user) -> None:
    """The password step, through the login page (``force_login`` would verify the session: conftest)."""
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the password was refused"


def with_app(user, key: str = KEY) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", key=key, confirmed=True)


@pytest.fixture
def admin(org):
    """An administrator of STC (head of unit 2)."""
    RoleAssignmentFactory(person=org.head2, role=Role.ADMINISTRATOR, agency=org.agency)
    return org.head2


# Who is asked -----------------------------------------------------------------------------------------


def test_hr_leaders_administrators_province_scope_and_staff_need_it_and_staff_members_do_not(org, admin):
    reviewer = UserFactory(username="ubnd")
    RoleAssignmentFactory(person=reviewer, role=Role.PROVINCE_REVIEWER, agency=None,
                          province=org.agency.province)  # fmt: skip
    operator = UserFactory(username="operator", is_staff=True)
    for person in (org.hr, org.leader, admin, reviewer, operator):
        assert otp.needs_second_factor(person), person.username
    for person in (org.member1, org.head1, org.catalog_manager):
        assert not otp.needs_second_factor(person), person.username
    assert set(otp.people_needing_second_factor()) == {org.hr, org.leader, org.deputy, admin, reviewer,
                                                        operator, org.leader_b}  # fmt: skip


def test_otp_required_for_all_asks_everyone(org, settings, client):
    settings.OTP_REQUIRED_FOR_ALL = True
    sign_in(client, org.member1)
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(ENROL)


def test_a_staff_member_is_not_asked(client, org):
    sign_in(client, org.member1)
    assert client.get("/").status_code == 200
    assert client.get("/diary/").status_code in (200, 302)
    # The second-factor pages have nothing for them.
    assert client.get(ENROL).url == reverse("home")
    assert client.get(VERIFY).url == reverse("home")
    assert not TOTPDevice.objects.exists()


# Enrolment -----------------------------------------------------------------------------------------------


def test_hr_without_an_app_opens_no_hr_page_before_enrolling(client, org):
    sign_in(client, org.hr)
    for url in HR_PAGES:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(ENROL), url
    response = client.get("/reports/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(ENROL)
    # Signing out, static files and the health check stay open.
    assert client.get(reverse("healthz")).status_code != 302


def test_hr_enrols_with_the_secret_shown_on_the_page(client, org):
    sign_in(client, org.hr)
    page = client.get(f"{ENROL}?next=/leave/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html  # the QR code, drawn on the server
    secret = re.search(r"data-otp-secret>([A-Z2-7 ]+)<", html).group(1).replace(" ", "")
    key = binascii.hexlify(base64.b32decode(secret)).decode()

    response = client.post(ENROL, {"code": code(key), "next": "/leave/"})

    assert response.status_code == 200
    codes = re.findall(r"data-recovery-code>([a-z2-7]+)<", response.content.decode())
    assert len(codes) == 10
    assert "Mã khôi phục" in response.content.decode()
    device = TOTPDevice.objects.get(user=org.hr)
    assert device.confirmed and device.key == key
    assert StaticToken.objects.filter(device__user=org.hr).count() == 10
    assert client.get("/leave/").status_code == 200
    event = AuditEvent.objects.get(action="second_factor.enrolled")
    assert (event.actor, event.person, event.agency) == (org.hr, org.hr, org.agency)
    # The page of an enrolled person sends them to the code page; the codes are not shown again.
    assert client.get(ENROL).status_code == 302


@pytest.mark.parametrize("typed", ["", "abc", "12345", "1234567", "x" * 50])
def test_enrolment_refuses_bad_input_and_saves_nothing(client, org, typed):
    sign_in(client, org.hr)
    client.get(ENROL)
    response = client.post(ENROL, {"code": typed})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not TOTPDevice.objects.exists() and not StaticDevice.objects.exists()


def test_enrolment_refuses_a_wrong_code(client, org):
    sign_in(client, org.hr)
    client.get(ENROL)  # the key the page made is in the session
    key = client.session[otp.ENROL_KEY_SESSION_KEY]
    response = client.post(ENROL, {"code": wrong(code(key))})
    assert "Mã xác thực không đúng" in response.content.decode()
    assert not TOTPDevice.objects.exists()
    assert client.get("/leave/").url.startswith(ENROL)


def test_the_enrolment_page_writes_nothing_to_the_database(client, org, django_assert_max_num_queries):
    sign_in(client, org.hr)
    with django_assert_max_num_queries(12):
        assert client.get(ENROL).status_code == 200
    assert not TOTPDevice.objects.exists()
    assert not AuditEvent.objects.exists()


# The code after the password ---------------------------------------------------------------------------


def test_next_sign_in_asks_for_the_code_and_then_opens_the_page(client, org, django_assert_max_num_queries):
    with_app(org.hr)
    sign_in(client, org.hr)
    response = client.get("/reports/")
    assert response.status_code == 302
    assert response.url == f"{VERIFY}?next=%2Freports%2F"
    with django_assert_max_num_queries(9):
        page = client.get(response.url)
    assert "Mã xác thực" in page.content.decode()

    response = client.post(VERIFY, {"code": code(), "next": "/reports/"})

    assert response.status_code == 302
    assert response.url == "/reports/"
    assert client.get("/leave/").status_code == 200


def test_a_wrong_code_is_refused_and_makes_the_next_try_wait(client, org):
    device = with_app(org.hr)
    sign_in(client, org.hr)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        response = client.post(VERIFY, {"code": wrong(code())})
        assert "Mã xác thực không đúng" in response.content.decode()
        # Even the right code waits out the throttle.
        response = client.post(VERIFY, {"code": code()})
        assert "Nhập sai quá nhiều lần" in response.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    assert client.get("/leave/").url.startswith(VERIFY)
    later = start + datetime.timedelta(seconds=3)
    with time_machine.travel(later, tick=False):
        assert client.post(VERIFY, {"code": code()}).status_code == 302
    assert client.get("/leave/").status_code == 200


@pytest.mark.parametrize("typed", ["", " ", "x" * 41, "<script>"])
def test_the_code_page_refuses_bad_input(client, org, typed):
    with_app(org.hr)
    sign_in(client, org.hr)
    response = client.post(VERIFY, {"code": typed})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert client.get("/leave/").url.startswith(VERIFY)


def test_a_code_cannot_be_used_twice(client, org):
    with_app(org.hr)
    now = time.time()
    with time_machine.travel(now, tick=False):
        sign_in(client, org.hr)
        assert client.post(VERIFY, {"code": code()}).status_code == 302
        client.post(reverse("logout"))
        sign_in(client, org.hr)
        assert client.post(VERIFY, {"code": code()}).status_code == 200


def test_a_recovery_code_works_once(client, org):
    _device, codes = otp.enrol(user=org.hr, key=KEY, code=code())
    sign_in(client, org.hr)
    response = client.post(VERIFY, {"code": codes[0].upper()}, follow=True)
    assert "9 mã" in response.content.decode()
    assert client.get("/leave/").status_code == 200
    client.post(reverse("logout"))

    sign_in(client, org.hr)
    response = client.post(VERIFY, {"code": codes[0]})
    assert response.status_code == 200
    assert client.get("/leave/").url.startswith(VERIFY)
    assert otp.recovery_codes_left(org.hr) == 9


def test_the_code_page_follows_only_a_next_on_this_site(client, org):
    with_app(org.hr)
    sign_in(client, org.hr)
    response = client.post(VERIFY, {"code": code(), "next": "https://evil.example/"})
    assert response.url == reverse("home")


def test_the_code_page_needs_a_sign_in(client):
    for url in (VERIFY, ENROL):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_the_wrong_password_still_counts_toward_the_lockout(client, org, settings):
    with_app(org.hr)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": org.hr.username, "password": "sai"})
    response = client.post(reverse("login"), {"username": org.hr.username, "password": PASSWORD})
    assert response.status_code == 429


# The API ------------------------------------------------------------------------------------------------


def test_api_keys_work_without_a_code(org):
    _record, key = api_client_create(agency=org.agency, name="E-Office STC")
    api = APIClient()
    # Even beside a browser session still waiting for its code.
    sign_in(api, org.hr)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/figures/", {"month": "2026-03"}).status_code == 200


# An administrator's reset -----------------------------------------------------------------------------------


def test_an_administrator_resets_the_second_factor_and_the_person_enrols_again(client, org, admin):
    otp.enrol(user=org.hr, key=KEY, code=code())
    hr = client.__class__()
    hr.force_login(org.hr)  # a verified session of HR's
    assert hr.get("/leave/").status_code == 200
    client.force_login(admin)
    url = reverse("org:person_second_factor", args=[org.hr.pk])
    assert "Mã khôi phục" in client.get(url).content.decode()

    response = client.post(url, {"reason": "Mất điện thoại"})

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=org.hr).exists()
    assert not StaticDevice.objects.filter(user=org.hr).exists()
    event = AuditEvent.objects.get(action="second_factor.reset")
    assert (event.actor, event.person, event.agency) == (admin, org.hr, org.agency)
    assert event.reason == "Mất điện thoại"
    assert event.before == {"authenticator_apps": 1, "recovery_codes": 10}
    # Their open session loses its verification: they set up an app again.
    assert hr.get("/leave/").url.startswith(ENROL)


def test_the_reset_needs_a_reason_and_changes_nothing_without_one(client, org, admin):
    with_app(org.hr)
    client.force_login(admin)
    response = client.post(reverse("org:person_second_factor", args=[org.hr.pk]), {"reason": " "})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert TOTPDevice.objects.filter(user=org.hr).exists()
    assert not AuditEvent.objects.filter(action="second_factor.reset").exists()


def test_only_administrators_of_the_persons_agency_reset(client, org, admin):
    with_app(org.member1)
    url = reverse("org:person_second_factor", args=[org.member1.pk])
    client.force_login(org.hr)  # reads the whole agency, administers nothing
    assert client.post(url, {"reason": "x"}).status_code == 403
    client.force_login(org.member2)  # cannot see member1
    assert client.get(url).status_code == 404
    other_admin = org.leader_b
    RoleAssignmentFactory(person=other_admin, role=Role.ADMINISTRATOR, agency=org.other_agency)
    client.force_login(other_admin)
    assert client.get(url).status_code == 404
    client.force_login(admin)
    assert client.get(reverse("org:person_second_factor", args=[admin.pk])).status_code == 403  # not oneself
    assert TOTPDevice.objects.filter(user=org.member1).exists()


def test_the_reset_page_shows_the_state_and_writes_nothing(client, org, admin, django_assert_max_num_queries):
    otp.enrol(user=org.hr, key=KEY, code=code())
    client.force_login(admin)
    url = reverse("org:person_second_factor", args=[org.hr.pk])
    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert response.context["codes_left"] == 10
    assert response.context["required"] is True
    assert TOTPDevice.objects.filter(user=org.hr).exists()
    person_page = client.get(reverse("org:person", args=[org.hr.pk])).content.decode()
    assert url in person_page
