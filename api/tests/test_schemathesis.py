"""Schemathesis generates requests from the OpenAPI schema and sends them to the app, in this process.

The schema is read once, when the tests are collected (drf-spectacular needs no database);
the requests run inside each test, with a client key of STC and data of both agencies.
Besides "no server error", every response must match the schema (status code, content type,
body) and every request the schema forbids must be refused.
"""

import hypothesis
import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

from api.models import ApiClient, hash_key

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
# Cases may be prepared before the test's database exists, so the client's key is fixed in advance.
KEY = "5c4e3a7e5c4e.schemathesis-test-key-not-a-secret-0123456789"


@schema.auth()
class ClientKey:
    """The STC client's key, unless the case is about a missing or wrong key."""

    def get(self, case, context):
        return KEY

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def stc_key(org, settings):
    """The fixed key's client in STC, a rate that lets every case through, and the test's connection kept."""
    ApiClient.objects.create(
        agency=org.agency, name="Schemathesis", key_prefix=KEY.split(".")[0], key_hash=hash_key(KEY)
    )
    # The client's rate would answer 429 to most generated requests.
    settings.REST_FRAMEWORK = {
        **django_settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_client": "1000000/min"},
    }
    # The real WSGI handler closes the database connection after each request, which would end the
    # test's transaction; Django's test client keeps it open the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@hypothesis.settings(
    max_examples=25,
    deadline=None,
    derandomize=True,  # the same cases on every run: CI fails only on a real change
    database=None,  # and no .hypothesis/ folder in the work tree
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_the_api_answers_every_generated_request_as_its_schema_says(case, stc_key, records, march):
    # Every check but one: a schema cannot say which usernames and unit codes exist in the agency, so a
    # schema-valid request naming someone unknown is rightly refused (positive_data_acceptance).
    case.call_and_validate(excluded_checks=[schemathesis.checks.positive_data_acceptance])
