"""Project-wide test set-up.

Real services only: PostgreSQL in CI (``DATABASE_URL``), Redis for Celery, the
system Chromium for browser tests. Locally a missing service skips the tests
that need it, with the reason; in CI (``CI=true``) it fails the run.
"""

import os

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"

pytest_plugins = [
    "org.tests.fixtures",
    "catalog.tests.fixtures",
    "worklog.tests.fixtures",
    "evaluation.tests.fixtures",
    "reports.tests.fixtures",
    "evidence.tests.fixtures",
]


def require(condition: bool, reason: str) -> None:
    """Skip locally, fail in CI, when something a test needs is missing."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: nothing may be skipped)")
    pytest.skip(reason)


def pytest_sessionstart(session):
    if IN_CI:
        from django.conf import settings

        engine = settings.DATABASES["default"]["ENGINE"]
        if "postgresql" not in engine:
            raise pytest.UsageError(f"CI must run on PostgreSQL (DATABASE_URL); got {engine}")
        if not settings.CELERY_BROKER_URL:
            raise pytest.UsageError("CI must run with CELERY_BROKER_URL pointing at Redis")


@pytest.fixture(autouse=True)
def _isolated_cache():
    """Each test starts with an empty cache (django-axes and sessions may use it)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    """The system Chromium driven by Playwright (``playwright install`` cannot download here).

    Module-scoped: while Playwright runs, its event loop occupies the main
    thread, which would break async views tested later in the same session.
    """
    require(os.path.exists(CHROMIUM), f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls the
    # tests make around it are still plain synchronous code.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab (own cookies) with a Vietnamese browser locale."""
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", base_url=live_server.url)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def eager_celery():
    """Run tasks in-process even when a broker is configured (the worker tests use the real one)."""
    from kpi_portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = previous


@pytest.fixture
def celery_worker_on_redis(transactional_db):
    """A real Celery worker thread consuming from the Redis broker of CELERY_BROKER_URL."""
    from django.conf import settings

    require(
        settings.CELERY_BROKER_URL.startswith("redis://"),
        "CELERY_BROKER_URL is not set to Redis: the job tests need a real broker and worker",
    )
    from celery.contrib.testing.worker import start_worker

    from kpi_portal.celery import app

    app.conf.task_always_eager = False
    with start_worker(app, perform_ping_check=False, loglevel="WARNING"):
        yield app
