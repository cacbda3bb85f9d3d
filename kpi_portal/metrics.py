"""Prometheus metrics at /metrics, for the configured scraper only (docs/operations.md).

django-prometheus' middleware counts requests, responses and their latency by view. Two more sets
are counted here, without the database engine django-prometheus would swap in for its own database
metrics (its ``django_prometheus.db.backends.postgresql`` would change ``ENGINE`` in every setting,
test and fault script that reads it): statements, their errors and durations and new connections
through an execute wrapper on each connection, under django-prometheus' own names, so its dashboards
work; and Celery tasks by name and outcome, from Celery's signals, in the process that runs them.

Several processes (gunicorn's workers, the Celery worker) each count their own: with
``PROMETHEUS_MULTIPROC_DIR`` set, the same empty directory for all of them on one host, /metrics
adds them up (prometheus_client's multiprocess mode).
"""

from __future__ import annotations

import hmac
import ipaddress
import time
from typing import Any

from celery import signals as celery_signals
from django.conf import settings
from django.db.backends.signals import connection_created
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django_prometheus.db import (  # type: ignore[import-untyped]
    connections_total,
    errors_total,
    execute_many_total,
    execute_total,
    query_duration_seconds,
)
from django_prometheus.exports import ExportToDjangoView  # type: ignore[import-untyped]
from prometheus_client import Counter

celery_tasks_total = Counter(
    "celery_tasks_total",
    "Celery tasks finished, by task name and outcome (succeeded, failed, retried).",
    ["task", "state"],
)


def metrics(request: HttpRequest) -> HttpResponse:
    """The metrics in Prometheus' text format; to anyone else a plain 404, as for an unknown address."""
    if not _is_scraper(request):
        raise Http404
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return ExportToDjangoView(request)


def _is_scraper(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(given.encode(), token.encode()):
        return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in settings.METRICS_ALLOWED_NETWORKS)


def install() -> None:
    """Start counting database statements and Celery tasks (called once, from the app's ready())."""
    connection_created.connect(_observe_connection, dispatch_uid="kpi_portal.metrics.connection")
    celery_signals.task_success.connect(_task_succeeded, dispatch_uid="kpi_portal.metrics.success")
    celery_signals.task_failure.connect(_task_failed, dispatch_uid="kpi_portal.metrics.failure")
    celery_signals.task_retry.connect(_task_retried, dispatch_uid="kpi_portal.metrics.retry")


def _observe_connection(sender: Any, connection: Any, **kwargs: Any) -> None:
    connections_total.labels(connection.alias, connection.vendor).inc()
    # The wrapper list belongs to the connection object, which outlives each database session (a new
    # one every request when CONN_MAX_AGE is 0): add the wrapper once. First in the list, so that a
    # ``with connection.execute_wrapper(...)`` open at this moment still removes its own on exit.
    if not any(isinstance(wrapper, _StatementObserver) for wrapper in connection.execute_wrappers):
        connection.execute_wrappers.insert(0, _StatementObserver(connection.alias, connection.vendor))


class _StatementObserver:
    def __init__(self, alias: str, vendor: str):
        self.labels = (alias, vendor)

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        count = len(params) if many and isinstance(params, list | tuple) else 1
        execute_total.labels(*self.labels).inc(count)
        if many:
            execute_many_total.labels(*self.labels).inc(count)
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        except Exception as error:
            errors_total.labels(*self.labels, type(error).__name__).inc()
            raise
        finally:
            query_duration_seconds.labels(*self.labels).observe(time.perf_counter() - started)


def _task_name(sender: Any) -> str:
    return getattr(sender, "name", None) or str(sender)


def _task_succeeded(sender: Any = None, **kwargs: Any) -> None:
    celery_tasks_total.labels(_task_name(sender), "succeeded").inc()


def _task_failed(sender: Any = None, **kwargs: Any) -> None:
    celery_tasks_total.labels(_task_name(sender), "failed").inc()


def _task_retried(sender: Any = None, **kwargs: Any) -> None:
    celery_tasks_total.labels(_task_name(sender), "retried").inc()
