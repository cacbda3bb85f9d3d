"""Operations: error reporting, metrics and logs (docs/operations.md). Imported by base.py.

Everything here is off or closed unless the environment turns it on: no error is sent anywhere
without ``SENTRY_DSN``, and ``/metrics`` answers nobody without ``METRICS_TOKEN`` or
``METRICS_ALLOWED_NETWORKS``.
"""

import ipaddress
from pathlib import Path

import environ
import sentry_sdk
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()

# Error reporting to Sentry or a self-hosted, Sentry-compatible server (GlitchTip) on the intranet.
SENTRY_DSN = env("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env("SENTRY_ENVIRONMENT", default="production")
SENTRY_RELEASE = env("SENTRY_RELEASE", default="") or None
# Performance tracing is off by default: errors only, no request timings leave the server.
SENTRY_TRACES_SAMPLE_RATE = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)
if SENTRY_DSN:
    # The Django, Celery, Redis and logging integrations switch themselves on when their library is
    # installed. No personal data leaves the server: no user, IP address or cookie (send_default_pii),
    # no request body (a diary entry or an evaluation comment is about a person) and no local
    # variables of the stack frames; the stack trace, the address and the headers are enough.
    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=SENTRY_ENVIRONMENT,
        release=SENTRY_RELEASE,
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE,
    )

# Prometheus metrics at /metrics (kpi_portal/metrics.py): a scraper sends ``Authorization: Bearer
# <METRICS_TOKEN>`` or connects from one of METRICS_ALLOWED_NETWORKS (CIDR, comma-separated). The
# network is the direct peer's address (REMOTE_ADDR), never a forwarded header anyone can write.
METRICS_TOKEN = env("METRICS_TOKEN", default="")
try:
    METRICS_ALLOWED_NETWORKS = [
        ipaddress.ip_network(network, strict=False)
        for network in env.list("METRICS_ALLOWED_NETWORKS", default=[])
    ]
except ValueError as error:
    raise ImproperlyConfigured(
        f"METRICS_ALLOWED_NETWORKS must be a comma-separated list of networks such as 10.0.5.0/24: {error}"
    ) from error
# A scraper that reaches the application server directly speaks plain HTTP inside the network: it
# is not redirected to HTTPS (through the reverse proxy its address would be the proxy's).
SECURE_REDIRECT_EXEMPT = [r"^metrics$"]
# django-prometheus' latency buckets, in seconds: up to a minute, as long as a PDF report may take.
PROMETHEUS_LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, float("inf"))

# Backups (manage.py backup / restore): where ``backup`` writes when no --output is given.
BACKUP_DIR = env.path("BACKUP_DIR", default=Path(__file__).resolve().parent.parent.parent / "backups")


def json_logging(logging: dict) -> dict:
    """``logging`` with the console writing one JSON object per line, with the request's id and its
    signed-in user's id (kpi_portal.logs): what a log collector (Loki, Elasticsearch) reads."""
    return {
        **logging,
        "formatters": {
            **logging.get("formatters", {}),
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "format": "%(levelname)s %(name)s %(message)s %(request_id)s %(user_id)s",
                "rename_fields": {"levelname": "level", "name": "logger"},
                # ISO 8601 in UTC, which every collector reads without being told the time zone.
                "timestamp": "time",
            },
        },
        "filters": {
            **logging.get("filters", {}),
            "request": {"()": "kpi_portal.logs.RequestContextFilter"},
        },
        "handlers": {
            **logging.get("handlers", {}),
            "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request"]},
        },
    }
