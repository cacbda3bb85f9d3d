"""Logs: one JSON object a line in production, with the request's id and user id; plain text elsewhere."""

import io
import json
import logging
import logging.config

import pytest
from django.conf import settings

from kpi_portal.settings.ops import json_logging
from kpi_portal.tests.test_settings import PRODUCTION_ENV, manage


def test_production_writes_each_log_line_as_one_json_object():
    result = manage(
        "shell",
        "-c",
        "import logging; logging.getLogger('kpi_portal.backups').warning('Đã sao lưu %s', 'kpi-backup-1')",
        env=PRODUCTION_ENV,
    )

    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["level"] == "WARNING"
    assert line["logger"] == "kpi_portal.backups"
    assert line["message"] == "Đã sao lưu kpi-backup-1"
    assert line["request_id"] is None and line["user_id"] is None
    assert line["time"]


def test_development_and_test_logs_stay_plain_text():
    assert settings.LOGGING["handlers"]["console"]["formatter"] == "plain"


@pytest.fixture
def json_lines():
    """The production console handler, writing into a buffer for the length of a test."""
    config = json_logging(settings.LOGGING)
    configurator = logging.config.DictConfigurator(config)
    formatter = configurator.configure_formatter(config["formatters"]["json"])
    log_filter = configurator.configure_filter(config["filters"]["request"])
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(formatter)
    handler.addFilter(log_filter)
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    logger.removeHandler(handler)


@pytest.mark.django_db
def test_a_request_logs_its_id_and_the_signed_in_user(client, django_user_model, json_lines):
    user = django_user_model.objects.create_user(username="canbo")
    client.force_login(user)

    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="proxy-4f1c2a9b")

    assert response.status_code == 404
    assert response["X-Request-ID"] == "proxy-4f1c2a9b"
    [line] = json_lines()
    assert line["message"] == "Not Found: /no-such-page/"
    assert line["request_id"] == "proxy-4f1c2a9b"
    assert line["user_id"] == user.pk


@pytest.mark.django_db
def test_a_request_without_a_sane_id_gets_one_of_its_own(client, json_lines):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="<script>" * 20)

    [line] = json_lines()
    assert len(response["X-Request-ID"]) == 32
    assert line["request_id"] == response["X-Request-ID"]
    assert line["user_id"] is None
