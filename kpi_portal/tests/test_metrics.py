"""/metrics: Prometheus' text for the configured scraper (token or network), a plain 404 for anyone else."""

import pytest
from celery import shared_task
from prometheus_client import REGISTRY

TOKEN = "scrape-7Qm2v9Lx"


@pytest.fixture(autouse=True)
def _closed(settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = []


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = TOKEN


@pytest.fixture
def network(settings):
    import ipaddress

    settings.METRICS_ALLOWED_NETWORKS = [ipaddress.ip_network("10.0.5.0/24")]


@shared_task(name="kpi_portal.tests.test_metrics.divide")
def divide(a: int, b: int) -> float:
    return a / b


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.mark.django_db
def test_it_is_a_plain_404_when_nothing_is_configured(client):
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer ")

    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()
    assert "django_http" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "authorization", ["", f"Bearer {TOKEN}x", f"Basic {TOKEN}", TOKEN, f"Bearer {TOKEN[:-1]}"]
)
def test_it_refuses_a_missing_or_wrong_token(client, token, authorization):
    response = client.get("/metrics", HTTP_AUTHORIZATION=authorization)

    assert response.status_code == 404


@pytest.mark.django_db
def test_it_answers_the_configured_token_with_request_database_and_task_metrics(
    client, token, django_assert_max_num_queries
):
    client.get("/accounts/login/")

    with django_assert_max_num_queries(0):
        response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "django_http_requests_total_by_method_total" in text
    assert (
        'django_http_requests_latency_seconds_by_view_method_bucket{le="0.01",method="GET",view="login"}'
        in text
    )
    assert "django_db_execute_total" in text
    assert "celery_tasks_total" in text


@pytest.mark.django_db
def test_it_answers_an_allowed_network_and_no_other(client, network):
    assert client.get("/metrics", REMOTE_ADDR="10.0.5.17").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.0.6.17").status_code == 404
    # A forwarded address is written by the client: it proves nothing.
    assert (
        client.get("/metrics", REMOTE_ADDR="10.0.6.17", HTTP_X_FORWARDED_FOR="10.0.5.17").status_code == 404
    )


@pytest.mark.django_db
def test_it_only_reads(client, token):
    response = client.post("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    assert response.status_code in (403, 405)


@pytest.mark.django_db
def test_database_statements_are_counted_without_changing_the_engine(django_user_model, settings):
    from django.db import connection

    before = sample("django_db_execute_total", alias="default", vendor=connection.vendor)

    django_user_model.objects.count()
    django_user_model.objects.exists()

    assert sample("django_db_execute_total", alias="default", vendor=connection.vendor) >= before + 2
    assert "django_prometheus" not in settings.DATABASES["default"]["ENGINE"]


def test_celery_tasks_are_counted_by_outcome():
    succeeded = sample("celery_tasks_total", task=divide.name, state="succeeded")
    failed = sample("celery_tasks_total", task=divide.name, state="failed")

    # Run here as a worker runs them: a failure is recorded, not raised into the caller.
    divide.apply(args=(1, 2), throw=False)
    divide.apply(args=(1, 0), throw=False)

    assert sample("celery_tasks_total", task=divide.name, state="succeeded") == succeeded + 1
    assert sample("celery_tasks_total", task=divide.name, state="failed") == failed + 1
