"""Sign-in through the province's identity provider (OpenID Connect).

No provider process is installed here and a home-made one would test itself, so these tests stop at
the provider's door: the login page's button, the redirect that starts the code flow, the refusal of
a provider's error, and what the claims of a signed-in person become (the network call that fetches
them is the one thing replaced).
"""

from __future__ import annotations

import datetime
import importlib
from urllib.parse import parse_qs, urlsplit

import environ
import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.urls import clear_url_caches, reverse
from django.utils import timezone

import kpi_portal.urls
from kpi_portal.settings import directory as directory_settings
from org import selectors
from org.directory_oidc import DirectoryOIDCBackend
from org.models import AuditEvent, Role, RoleAssignment, User
from org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
BUTTON = "Đăng nhập bằng tài khoản tỉnh"
PROVIDER = "https://sso.tinh.gov.vn/realms/tinh/protocol/openid-connect"


@pytest.fixture
def oidc_on(settings, monkeypatch):
    """The settings of kpi_portal/settings/directory.py for a province provider, URLs included."""
    for name, value in {
        "OIDC_RP_CLIENT_ID": "kpi-portal",
        "OIDC_RP_CLIENT_SECRET": "bi-mat",
        "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{PROVIDER}/auth",
        "OIDC_OP_TOKEN_ENDPOINT": f"{PROVIDER}/token",
        "OIDC_OP_USER_ENDPOINT": f"{PROVIDER}/userinfo",
        "OIDC_OP_JWKS_ENDPOINT": f"{PROVIDER}/certs",
    }.items():
        monkeypatch.setenv(name, value)
    found = directory_settings.oidc_settings(environ.Env())
    for name, value in found.items():
        setattr(settings, name, value)
    settings.OIDC_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS[:-1],
        *directory_settings.backends(found),
        settings.AUTHENTICATION_BACKENDS[-1],
    ]
    importlib.reload(kpi_portal.urls)
    clear_url_caches()
    yield settings
    settings.OIDC_ENABLED = False
    importlib.reload(kpi_portal.urls)
    clear_url_caches()


def claims(org, **changes):
    return {
        "sub": "f3c1",
        "preferred_username": "Hoa.NT",
        "name": "Nguyễn Thị Hoa",
        "email": "hoa@stc.gov.vn",
        "agency": "STC",
        "unit": "NS",
        "groups": ["kpi-hr-STC", f"kpi-province_reviewer-{org.agency.province.code}", "offline_access"],
        **changes,
    }


def signed_in(backend: DirectoryOIDCBackend, monkeypatch, found: dict) -> User:
    """What the backend makes of a provider's answer (the user-info call to the provider replaced)."""
    monkeypatch.setattr(backend, "get_userinfo", lambda access_token, id_token, payload: found)
    return backend.get_or_create_user("access", "id", {})


def test_the_login_page_has_no_province_button_without_a_provider(client, db):
    response = client.get(reverse("login"))

    assert BUTTON not in response.text
    assert client.get("/oidc/authenticate/").status_code == 404


def test_the_login_page_offers_the_province_account_when_a_provider_is_set(client, db, oidc_on):
    response = client.get(reverse("login") + "?next=/diary/")

    assert BUTTON in response.text
    assert 'href="/oidc/authenticate/?next=/diary/"' in response.text


def test_the_province_button_starts_the_code_flow_at_the_provider(client, db, oidc_on):
    response = client.get("/oidc/authenticate/?next=/diary/")

    assert response.status_code == 302
    target = urlsplit(response.url)
    query = parse_qs(target.query)
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{PROVIDER}/auth"
    assert query["client_id"] == ["kpi-portal"] and query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"]  # PKCE
    assert query["redirect_uri"] == ["http://testserver/oidc/callback/"]
    assert client.session["oidc_login_next"] == "/diary/"


def test_an_error_from_the_provider_returns_to_the_login_page_signed_out(client, db, oidc_on):
    response = client.get("/oidc/callback/?error=access_denied&state=x")

    assert response.status_code == 302 and response.url == reverse("login")
    assert "_auth_user_id" not in client.session


def test_a_first_sign_in_creates_the_account_from_the_claims(org, oidc_on, monkeypatch):
    user = signed_in(DirectoryOIDCBackend(), monkeypatch, claims(org))

    assert (user.username, user.full_name, user.email) == ("hoa.nt", "Nguyễn Thị Hoa", "hoa@stc.gov.vn")
    assert not user.has_usable_password()
    assert selectors.membership_on(user, selectors.today()).unit == org.unit1
    assert {(r.role, r.agency, r.province) for r in RoleAssignment.objects.filter(person=user)} == {
        (Role.HR, org.agency, None),
        (Role.PROVINCE_REVIEWER, None, org.agency.province),
    }
    assert AuditEvent.objects.get(person=user, action="person.directory_synced").reason == "OpenID Connect"


def test_a_later_sign_in_brings_in_what_changed_at_the_provider(org, oidc_on, monkeypatch):
    backend = DirectoryOIDCBackend()
    first = signed_in(backend, monkeypatch, claims(org))

    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        again = signed_in(
            backend,
            monkeypatch,
            claims(org, preferred_username="hoa.nt", name="Nguyễn Thị Hòa", unit="VP", groups=[]),
        )
        today = selectors.today()

    assert again.pk == first.pk
    assert again.full_name == "Nguyễn Thị Hòa"
    assert selectors.membership_on(again, today).unit == org.unit2
    assert not RoleAssignment.objects.filter(person=again).exists()


def test_an_account_is_found_by_its_username_not_by_a_shared_mailbox(org, oidc_on, monkeypatch):
    UserFactory(username="vanthu", email="hoa@stc.gov.vn")

    user = signed_in(DirectoryOIDCBackend(), monkeypatch, claims(org))

    assert user.username == "hoa.nt"
    assert User.objects.filter(email="hoa@stc.gov.vn").count() == 2


def test_claims_without_a_username_are_refused(org, oidc_on, monkeypatch):
    with pytest.raises(SuspiciousOperation):
        signed_in(DirectoryOIDCBackend(), monkeypatch, claims(org, preferred_username=""))

    assert not User.objects.filter(email="hoa@stc.gov.vn").exists()


def test_an_unknown_agency_signs_the_person_in_without_a_place(org, oidc_on, monkeypatch):
    user = signed_in(DirectoryOIDCBackend(), monkeypatch, claims(org, agency="XYZ", groups=["kpi-hr-XYZ"]))

    assert selectors.membership_on(user, selectors.today()) is None
    assert not RoleAssignment.objects.filter(person=user).exists()


def test_a_provider_without_its_endpoints_fails_loudly(monkeypatch):
    monkeypatch.setenv("OIDC_RP_CLIENT_ID", "kpi-portal")
    monkeypatch.setenv("OIDC_RP_CLIENT_SECRET", "bi-mat")
    monkeypatch.delenv("OIDC_OP_TOKEN_ENDPOINT", raising=False)

    with pytest.raises(ImproperlyConfigured, match="OIDC_OP"):
        directory_settings.oidc_settings(environ.Env())
