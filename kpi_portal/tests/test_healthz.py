import json
import os

import pytest
from asgiref.sync import async_to_sync
from django.test import RequestFactory
from health_check.views import HealthCheckView

from conftest import require
from kpi_portal.health import health_checks


@pytest.mark.django_db(transaction=True)
def test_it_reports_database_and_cache_healthy(client):
    response = client.get("/healthz/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    checks = response.json()
    assert any(name.startswith("Database") for name in checks)
    assert any(name.startswith("Cache") for name in checks)
    assert set(checks.values()) == {"OK"}


@pytest.mark.django_db(transaction=True)
def test_it_checks_the_broker_when_one_is_configured(client, settings):
    broker = os.environ.get("CELERY_BROKER_URL", "")
    require(broker.startswith("redis://"), "CELERY_BROKER_URL is not set to a Redis URL")

    response = client.get("/healthz/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert any(name.startswith("Redis") and status == "OK" for name, status in response.json().items())


@pytest.mark.django_db(transaction=True)
def test_it_reports_an_unreachable_broker_as_unhealthy(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    view = HealthCheckView.as_view(checks=health_checks())

    response = async_to_sync(view)(RequestFactory().get("/healthz/", HTTP_ACCEPT="application/json"))

    assert response.status_code == 500
    results = json.loads(response.content)
    assert any(name.startswith("Redis") and status != "OK" for name, status in results.items())
