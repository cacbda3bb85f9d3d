"""Production: every secret comes from the environment and a missing one stops start-up."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import STORAGES, env
from .ops import json_logging

DEBUG = False
# No default: django-environ raises ImproperlyConfigured naming the variable.
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
# Every web process must count the API throttles in one place: a per-process memory cache would give
# each gunicorn worker its own allowance. (The login lockout is kept in the database by django-axes.)
CACHES = {"default": env.cache("CACHE_URL")}
if CACHES["default"]["BACKEND"] != "django.core.cache.backends.redis.RedisCache":
    raise ImproperlyConfigured(
        "Set the CACHE_URL environment variable to a Redis address (redis://host:6379/1): "
        "the web processes share the API throttles through it."
    )

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS. Behind a reverse proxy that terminates TLS set DJANGO_SECURE_PROXY_SSL_HEADER=True.
if env.bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)

vars().update(env.email_url("EMAIL_URL", default="smtp://localhost:25"))

LOGGING = {
    **LOGGING,  # noqa: F405
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
        "django.security.DisallowedHost": {"level": "ERROR"},
    },
}
# One JSON object a line on stdout, with the request and user ids (docs/operations.md).
LOGGING = json_logging(LOGGING)
