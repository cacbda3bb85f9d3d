import re

import pytest
from django.contrib.messages import get_messages

from api.models import ApiClient, hash_key
from org.tests.factories import UserFactory

pytestmark = pytest.mark.dates


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def _key(response) -> str:
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    return re.search(r"<code>([^<]+)</code>", " ".join(messages)).group(1)


def test_adding_a_client_shows_its_key_once(admin_client, org):
    response = admin_client.post(
        "/admin/api/apiclient/add/", {"name": "E-Office STC", "agency": org.agency.pk, "is_active": "on"}
    )

    assert response.status_code == 302
    client = ApiClient.objects.get()
    key = _key(response)
    assert client.key_hash == hash_key(key)
    assert key in admin_client.get(response.url).content.decode()
    assert key not in admin_client.get(f"/admin/api/apiclient/{client.pk}/change/").content.decode()


def test_the_agency_of_a_client_cannot_be_changed(admin_client, org, stc):
    admin_client.post(
        f"/admin/api/apiclient/{stc.record.pk}/change/",
        {"name": "Renamed", "agency": org.other_agency.pk, "is_active": "on"},
    )

    stc.record.refresh_from_db()
    assert (stc.record.name, stc.record.agency) == ("Renamed", org.agency)


def test_revoking_refuses_the_key(admin_client, stc):
    admin_client.post("/admin/api/apiclient/", {"action": "revoke", "_selected_action": [stc.record.pk]})

    assert stc.api.get("/api/v1/documents/").status_code == 401


def test_a_new_key_replaces_the_old_one(admin_client, stc):
    response = admin_client.post(
        "/admin/api/apiclient/", {"action": "new_key", "_selected_action": [stc.record.pk]}
    )

    assert stc.api.get("/api/v1/documents/").status_code == 401
    stc.api.credentials(HTTP_AUTHORIZATION=f"Bearer {_key(response)}")
    assert stc.api.get("/api/v1/documents/").status_code == 200
