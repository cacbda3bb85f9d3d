"""Test settings: fast hashing, mail kept in memory, the same database rules."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="test-only-key-not-for-production-use-9b1f")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
# No read replica in tests, whatever the environment says: a test mirror is another connection, outside
# the test's transaction (kpi_portal/tests/test_replica.py adds its own, to a real replica).
DATABASES.pop("replica", None)  # noqa: F405
# Serve static files straight from the app directories (no collectstatic before tests).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Under pytest-xdist (`make test` runs two processes) each process has a test database of its own
# (pytest-django adds the worker's name) and, through this prefix on every Redis key, a broker of its
# own: a worker started by one process never takes a task published by the other.
if _xdist_worker := env("PYTEST_XDIST_WORKER", default=""):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "global_keyprefix": f"{_xdist_worker}:",
    }
