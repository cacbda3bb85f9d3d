import pytest
from django.conf import settings as django_settings

URL = "/api/v1/documents/"


@pytest.fixture
def two_a_minute(settings):
    settings.REST_FRAMEWORK = {
        **django_settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_client": "2/min"},
    }


def test_a_client_above_its_rate_gets_a_json_429(stc, two_a_minute):
    assert stc.api.get(URL).status_code == 200
    assert stc.api.get(URL).status_code == 200

    response = stc.api.get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert response.json()["detail"].startswith("Request was throttled.")


def test_pushes_count_too(stc, two_a_minute):
    for _ in range(2):
        stc.api.post(URL, {"items": []}, format="json")

    assert stc.api.post(URL, {"items": []}, format="json").status_code == 429


def test_each_client_has_its_own_rate(stc, sxd, two_a_minute):
    for _ in range(3):
        stc.api.get(URL)

    assert sxd.api.get(URL).status_code == 200


def test_the_default_rate_is_120_a_minute():
    assert django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["api_client"] == "120/min"
