"""Development defaults: the embedded set-up of ``make run``."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env(
    "DJANGO_SECRET_KEY",
    default="local-only-insecure-key-3f0c1e7b8a9d4c2e6f5a1b0d9c8e7f6a",
)
# With DEBUG on, unknown addresses and errors still get the site's own pages (OwnErrorPagesMiddleware);
# True shows Django's debug pages instead (they list every URL pattern: never on a shared demo).
DEBUG_TECHNICAL_PAGES = env.bool("DJANGO_DEBUG_TECHNICAL_PAGES", default=False)
