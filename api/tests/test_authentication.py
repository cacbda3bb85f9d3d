import pytest
from rest_framework.test import APIClient

from api.models import ApiClient, hash_key

URL = "/api/v1/documents/"


def _with(header: str | None) -> APIClient:
    api = APIClient()
    if header is not None:
        api.credentials(HTTP_AUTHORIZATION=header)
    return api


@pytest.mark.django_db
def test_it_requires_a_key():
    response = _with(None).get(URL)

    assert response.status_code == 401
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["WWW-Authenticate"] == 'Token realm="api"'
    assert "detail" in response.json()


@pytest.mark.parametrize(
    "header",
    [
        "Token nonsense",
        "Token 0123456789ab.wrong-secret",
        "Bearer ",
        "Token a b",
        "Token ünïcode",
        "Basic dXNlcjpwYXNz",
    ],
)
def test_an_unknown_or_malformed_key_is_refused_with_json(stc, header):
    response = _with(header).get(URL)

    assert response.status_code == 401
    assert response.json()["detail"]


def test_a_right_prefix_with_a_wrong_secret_is_refused(stc):
    prefix = stc.key.split(".")[0]

    response = _with(f"Token {prefix}.{'x' * 43}").get(URL)

    assert response.status_code == 401


def test_a_revoked_key_is_refused(stc):
    stc.record.is_active = False
    stc.record.save(update_fields=["is_active"])

    assert stc.api.get(URL).status_code == 401


def test_a_valid_key_works_as_token_or_bearer(stc):
    assert _with(f"Token {stc.key}").get(URL).status_code == 200
    assert _with(f"Bearer {stc.key}").get(URL).status_code == 200
    assert _with(f"token {stc.key}").get(URL).status_code == 200


def test_only_the_hash_of_the_key_is_stored(stc):
    stored = ApiClient.objects.get(pk=stc.record.pk)

    assert stc.key not in {stored.key_prefix, stored.key_hash}
    assert stored.key_hash == hash_key(stc.key)
    assert stc.key.startswith(stored.key_prefix + ".")


def test_it_notes_when_the_client_was_last_used(stc):
    assert stc.record.last_used_at is None

    stc.api.get(URL)

    stc.record.refresh_from_db()
    assert stc.record.last_used_at is not None


def test_a_logged_in_person_without_a_key_is_refused(client, org):
    """The portal's session does not open the API: only client keys do."""
    client.force_login(org.leader)

    assert client.get(URL).status_code == 401


def test_errors_speak_vietnamese_by_default_and_english_on_request(stc):
    bad = _with("Token nope")

    assert bad.get(URL).headers["Content-Language"] == "vi"
    english = bad.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert english.headers["Content-Language"] == "en"
    assert english.json() == {"detail": "Unknown or revoked key."}
