import re

import pytest
import yaml

OPERATIONS = {
    ("/api/v1/documents/", "get"), ("/api/v1/documents/", "post"), ("/api/v1/documents/{source_id}/", "get"),
    ("/api/v1/calendar/", "get"), ("/api/v1/calendar/", "post"), ("/api/v1/calendar/{source_id}/", "get"),
    ("/api/v1/figures/", "get"), ("/api/v1/figures/units/", "get"), ("/api/v1/evaluations/", "get"),
}  # fmt: skip


@pytest.mark.django_db
def test_the_schema_describes_every_endpoint_with_the_key(client):
    response = client.get("/api/schema/")

    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["info"]["title"] == "KPI Portal API"
    assert {(path, method) for path, methods in schema["paths"].items() for method in methods} == OPERATIONS
    scheme = schema["components"]["securitySchemes"]["ApiKey"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            assert operation["security"] == [{"ApiKey": []}], (path, method)
            assert {"200", "401", "429"} <= set(operation["responses"]), (path, method)


@pytest.mark.django_db
def test_the_schema_is_also_served_as_json(client):
    response = client.get("/api/schema/", {"format": "json"})

    assert response.json()["openapi"].startswith("3.")


@pytest.mark.django_db
def test_the_docs_load_nothing_from_another_host(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "http://" not in html and "https://" not in html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui-bundle.js" in asset for asset in assets)
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


@pytest.mark.django_db
def test_an_unknown_address_under_the_api_is_a_json_404(client):
    client.cookies["django_language"] = "en"

    response = client.get("/api/v2/documents/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.django_db
def test_a_forgotten_slash_is_pointed_out(client):
    client.cookies["django_language"] = "en"

    response = client.post("/api/v1/documents", {})

    assert response.status_code == 404
    assert response.json() == {
        "detail": "Not found. Addresses of this API end with a slash: /api/v1/documents/"
    }
