"""Checks behind /healthz/: database and cache always, the Celery broker when one is configured."""

from django.conf import settings


def health_checks() -> list:
    checks: list = ["health_check.checks.Database", "health_check.checks.Cache"]
    broker = settings.CELERY_BROKER_URL
    if broker.startswith(("redis://", "rediss://")):
        from health_check.contrib.redis import Redis
        from redis.asyncio import Redis as RedisClient

        checks.append((Redis, {"client_factory": lambda: RedisClient.from_url(broker)}))
    return checks
