import pytest
from django.core.management import CommandError, call_command

from api.models import ApiClient


def test_it_creates_a_client_and_prints_its_key_once(org, capsys):
    call_command("create_api_client", "--agency", "STC", "--name", "E-Office STC")

    out, err = capsys.readouterr()
    key = out.strip()
    client = ApiClient.objects.get()
    assert (client.agency, client.name, client.is_active) == (org.agency, "E-Office STC", True)
    assert ApiClient.objects.for_key(key) == client
    assert "shown only this once" in err
    assert key not in err


def test_the_printed_key_opens_the_api(org, capsys):
    call_command("create_api_client", "--agency", "SXD", "--name", "Bridge")
    key = capsys.readouterr().out.strip()

    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/documents/").status_code == 200


def test_an_unknown_agency_is_an_error(org):
    with pytest.raises(CommandError, match="XYZ"):
        call_command("create_api_client", "--agency", "XYZ", "--name", "E-Office")

    assert not ApiClient.objects.exists()
