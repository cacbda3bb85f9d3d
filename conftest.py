"""Project-wide test set-up.

Real services only: PostgreSQL in CI (``DATABASE_URL``), Redis for Celery, the
system Chromium for browser tests. Locally a missing service skips the tests
that need it, with the reason; in CI (``CI=true``) it fails the run.

``KPI_TEST_TODAY=2026-12-01`` moves the clock for the whole run, to see that the
tests hold on that day (CI runs the ``dates`` and ``browser`` tests so on a few
awkward days: see ``.ci/run``).
"""

import datetime
import io
import os
import zoneinfo

import pytest
import time_machine

IN_CI = os.environ.get("CI", "").lower() == "true"

pytest_plugins = [
    "org.tests.fixtures",
    "catalog.tests.fixtures",
    "worklog.tests.fixtures",
    "review.tests.fixtures",
    "reports.tests.fixtures",
    "evidence.tests.fixtures",
    "evaluation.tests.fixtures",
]


def require(condition: bool, reason: str) -> None:
    """Skip locally, fail in CI, when something a test needs is missing."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: nothing may be skipped)")
    pytest.skip(reason)


MOVED_CLOCK = pytest.StashKey[time_machine.travel]()


def pytest_configure(config):
    """Move the clock to ``KPI_TEST_TODAY`` (an ISO date) for the whole run, when it is set.

    Started here rather than in a fixture so that everything sees the same day: the test
    database set-up, the demo, the live server's and Celery's threads. The clock ticks
    (from 09:00 local time) so timeouts and "newer than" comparisons still behave.
    """
    value = os.environ.get("KPI_TEST_TODAY")
    if not value:
        return
    from django.conf import settings

    try:
        day = datetime.date.fromisoformat(value)
    except ValueError as error:
        raise pytest.UsageError(f"KPI_TEST_TODAY must be a date like 2026-12-01; got {value!r}") from error
    morning = datetime.datetime.combine(day, datetime.time(9), zoneinfo.ZoneInfo(settings.TIME_ZONE))
    config.stash[MOVED_CLOCK] = time_machine.travel(morning, tick=True)
    config.stash[MOVED_CLOCK].start()


def pytest_unconfigure(config):
    if MOVED_CLOCK in config.stash:
        config.stash[MOVED_CLOCK].stop()


def pytest_collection_modifyitems(config, items):
    """Tests of the moved clock itself run only when it is moved, and the fault suite only when asked
    for (``-m faults``): left out, not skipped, otherwise, so that ``make test`` stays quick."""
    left_out = set()
    if not os.environ.get("KPI_TEST_TODAY"):
        left_out.add("moved_clock")
    if "faults" not in (config.option.markexpr or ""):
        left_out.add("faults")
    kept = [item for item in items if not left_out & set(item.keywords)]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if left_out & set(item.keywords)])
        items[:] = kept


def pytest_report_header(config):
    if MOVED_CLOCK in config.stash:
        return f"clock moved to {os.environ['KPI_TEST_TODAY']} 09:00 local time (KPI_TEST_TODAY)"
    return None


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


# Every browser test runs with the Content-Security-Policy enforced (kpi_portal/settings/csp.py) and
# fails when a page breaks it: each violation is reported by the page's securitypolicyviolation event
# (sent out through a binding, so that it outlives the page) and by Chromium's console ("Refused to …").
CSP_WATCH = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__kpiCspViolation(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || document.location.href}:${event.lineNumber} ${event.sample || ""}`);
});
"""


@pytest.fixture
def watch_csp():
    """``watch_csp(context)`` records the policy's violations in its tabs; any fails the test."""
    violations: list[str] = []

    def watch(context):
        context.expose_binding("__kpiCspViolation", lambda _source, text: violations.append(text))
        context.add_init_script(CSP_WATCH)
        context.on(
            "console",
            lambda message: "Refused to" in message.text and violations.append(message.text),
        )
        return context

    watch.violations = violations  # type: ignore[attr-defined]
    yield watch
    if violations:
        pytest.fail(
            "Content-Security-Policy violations:\n" + "\n".join(dict.fromkeys(violations)), pytrace=False
        )


@pytest.fixture
def page(browser, live_server, watch_csp):
    """A fresh browser tab (own cookies) with a Vietnamese browser locale."""
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", base_url=live_server.url)
    watch_csp(context)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


DEMO_PASSWORD = "KpiDemo@2025"


@pytest.fixture(autouse=True)
def _second_factor_after_force_login(monkeypatch):
    """``client.force_login`` of someone who needs a second factor (org/otp.py) gives a session verified
    by a real app of theirs, as a code would (``org.tests.sign_in.verified_session``): the tests of
    their pages need not type codes, and enforcement stays on for every other way of signing in."""
    from django.test.client import ClientMixin

    force_login = ClientMixin.force_login

    def force_login_verified(self, user, backend=None):
        force_login(self, user, backend)
        from org.tests.sign_in import verified_session

        verified_session(self, user)

    monkeypatch.setattr(ClientMixin, "force_login", force_login_verified)


@pytest.fixture
def open_as(browser, live_server, watch_csp):
    """Log a demo user in (with the app code when asked), each in a browser context of their own:
    ``tab = open_as("canbo")``."""
    from org.tests.sign_in import log_in

    contexts = []

    def open_as(username: str):
        context = browser.new_context(
            locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", base_url=live_server.url
        )
        watch_csp(context)
        context.set_default_timeout(15_000)
        contexts.append(context)
        tab = context.new_page()
        log_in(tab, username)
        return tab

    yield open_as
    for context in contexts:
        context.close()


class DatabaseCopy:
    """A copy of the test database's rows, put back in a second or so.

    SQLite: the whole database through SQLite's backup API. PostgreSQL: each table
    copied into a schema of its own, and back with ``INSERT … SELECT`` in one
    transaction (Django's foreign keys are checked at the commit, if at all, so the
    order of the tables does not matter).
    """

    SCHEMA = "kpi_test_copy"

    def __init__(self, connection):
        self.connection = connection
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            import sqlite3

            self.sqlite = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(self.sqlite)
            return
        self.tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {self.SCHEMA} CASCADE; CREATE SCHEMA {self.SCHEMA}")
            for table in map(connection.ops.quote_name, self.tables):
                cursor.execute(f"CREATE TABLE {self.SCHEMA}.{table} AS TABLE {table}")

    def restore(self) -> None:
        from django.apps import apps
        from django.contrib.contenttypes.models import ContentType
        from django.core.management.color import no_style
        from django.db import transaction

        connection = self.connection
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            self.sqlite.backup(connection.connection)
        else:
            with transaction.atomic(), connection.cursor() as cursor:
                # The copy is consistent as a whole: checking every foreign key again at the commit
                # would double the time. Replica mode skips those checks; only a superuser may ask.
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                if cursor.fetchone()[0]:
                    cursor.execute("SET LOCAL session_replication_role = replica")
                for sql in connection.ops.sql_flush(no_style(), self.tables):
                    cursor.execute(sql)
                for table in map(connection.ops.quote_name, self.tables):
                    cursor.execute(f"INSERT INTO {table} SELECT * FROM {self.SCHEMA}.{table}")
                models = [
                    model
                    for model in apps.get_models(include_auto_created=True)
                    if model._meta.db_table in self.tables and not model._meta.proxy
                ]
                for sql in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(sql)
        # The rows came back with the ids they had when the copy was made.
        ContentType.objects.clear_cache()

    def drop(self) -> None:
        if self.connection.vendor == "sqlite":
            self.sqlite.close()
            return
        with self.connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {self.SCHEMA} CASCADE")


@pytest.fixture(scope="session")
def demo_copy(django_db_setup, django_db_blocker):
    """The demo organisation (``seed_demo``), built once per run and kept aside.

    Building it takes a quarter of a minute, so the browser tests take a fresh copy
    through ``demo`` instead. The database is emptied again afterwards, as every
    other test expects.
    """
    from django.core.management import call_command
    from django.db import connection

    with django_db_blocker.unblock():
        call_command("seed_demo", force=True, stdout=io.StringIO())
        copy = DatabaseCopy(connection)
        call_command("flush", interactive=False, verbosity=0)
    yield copy
    with django_db_blocker.unblock():
        copy.drop()


@pytest.fixture
def demo(demo_copy, transactional_db):
    """The demo data as ``seed_demo`` leaves it on the day the run started, for one test.

    The test may change anything: the database is emptied after it (``transactional_db``).
    """
    demo_copy.restore()


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
