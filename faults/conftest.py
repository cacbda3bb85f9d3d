"""The process harness of the fault suite: real servers started for one test and always stopped after it.

Each process runs in a process group of its own (``start_new_session``), so a SIGKILL of the group
takes its children with it (the prefork pool, gunicorn's workers), and the teardown kills every group
a test started, whether the test passed or not. Servers listen on 127.0.0.1 only, on free ports: the
shared Redis (6379) and PostgreSQL (5432) are never stopped or flushed.

The web server and the worker read the pytest test database (``transactional_db``, so what the test
writes is committed and visible to them) and a Redis of the test's own, which the test may stop and
start again. E-mails go to files (django-environ's ``filemail://``), so a test counts what was sent.
"""

from __future__ import annotations

import contextlib
import datetime
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import require

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
# PostgreSQL's server programs (initdb, pg_ctl): Debian keeps them off PATH.
PG_BIN = next(
    (
        path
        for path in (
            Path("/usr/lib/postgresql/15/bin"),
            Path(shutil.which("initdb") or "/nonexistent").parent,
        )
        if (path / "initdb").exists() and (path / "pg_ctl").exists()
    ),
    Path("/usr/lib/postgresql/15/bin"),
)
# What a server needs to start on this 2-core machine, with room for a slow CI runner.
START_TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition: Callable[[], object], timeout: float, what: str, interval: float = 0.1):
    """Poll ``condition`` until it returns something true; fail the test with ``what`` at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


class Process:
    """One server in a process group of its own, its output in a log file."""

    def __init__(self, name: str, args: list[str], *, env: dict[str, str], log_dir: Path):
        self.name = name
        self.args = args
        self.env = env
        self.log_path = log_dir / f"{name}.log"
        self.popen: subprocess.Popen | None = None

    def start(self) -> Process:
        with open(self.log_path, "ab") as log:
            self.popen = subprocess.Popen(
                self.args,
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def signal_group(self, sig: int) -> None:
        if self.popen is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, sig)

    def stop(self, timeout: float = 10) -> None:
        """SIGTERM the group, then SIGKILL whatever is left after ``timeout``."""
        if self.popen is None:
            return
        if self.popen.poll() is None:
            self.signal_group(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout)
        # Children that outlived their parent are still in the group.
        self.signal_group(signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(10)

    def log(self, last: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-last:]
        except FileNotFoundError:
            return ""


@dataclass
class Processes:
    """Every process a test started; all are killed at its end, in reverse order."""

    log_dir: Path
    started: list[Process] = field(default_factory=list)

    def start(self, name: str, args: list[str], *, env: dict[str, str]) -> Process:
        process = Process(f"{name}-{len(self.started)}", args, env=env, log_dir=self.log_dir)
        self.started.append(process)
        return process.start()

    def stop_all(self) -> None:
        for process in reversed(self.started):
            process.stop(timeout=5)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed:
        item.stash[FAILED] = True
    return report


FAILED = pytest.StashKey[bool]()


@pytest.fixture
def work_dir(request) -> Iterator[Path]:
    """A directory of the test's own for logs, mail, media and clusters; kept when the test failed."""
    path = Path(tempfile.mkdtemp(prefix="kpi-faults-"))
    os.chmod(path, 0o755)  # the PostgreSQL cluster's owner must reach its directory inside
    yield path
    if request.node.stash.get(FAILED, False):
        print(f"\nlogs kept in {path}")
    else:
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def processes(request, work_dir) -> Iterator[Processes]:
    logs = work_dir / "logs"
    logs.mkdir()
    started = Processes(logs)
    try:
        yield started
    finally:
        started.stop_all()
        if request.node.stash.get(FAILED, False):
            for process in started.started:
                print(f"\n--- {process.name}: {' '.join(process.args)}\n{process.log(3000)}")


# Redis ------------------------------------------------------------------------------------------------


class RedisServer:
    """A Redis of the test's own on a free port: no persistence, so a restart starts empty."""

    def __init__(self, processes: Processes):
        self.processes = processes
        self.port = free_port()
        self.process: Process | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        args = [
            "redis-server",
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ]
        self.process = self.processes.start("redis", args, env=dict(os.environ))
        wait_for(self.answers, 15, f"Redis on port {self.port}")

    def stop(self) -> None:
        assert self.process is not None
        self.process.stop()
        wait_for(lambda: not self.answers(), 15, f"Redis on port {self.port} to stop")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


@pytest.fixture
def redis_server(processes) -> RedisServer:
    require(
        shutil.which("redis-server") is not None,
        "redis-server is not installed (apt-get install redis-server)",
    )
    server = RedisServer(processes)
    server.start()
    return server


# The web server and the worker ----------------------------------------------------------------------


def database_url(settings_dict: dict) -> str:
    user = urllib.parse.quote(settings_dict.get("USER") or "")
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{urllib.parse.quote(password)}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


class Stack:
    """Gunicorn and Celery workers on the test database and the test's own Redis."""

    def __init__(self, processes: Processes, redis: RedisServer, work: Path, database: str):
        self.processes = processes
        self.redis = redis
        self.work = work
        self.mail_dir = work / "mail"
        self.mail_dir.mkdir()
        self.media_dir = work / "media"
        self.media_dir.mkdir()
        self.database_url = database
        self.extra_env: dict[str, str] = {}
        self.web_port: int | None = None
        self.worker_names: list[str] = []
        self._sender = None

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "KPI_"))}
        env.update(
            {
                "PYTHONPATH": str(ROOT),
                "DJANGO_SETTINGS_MODULE": "faults.settings",
                "DJANGO_DEBUG": "false",
                "DJANGO_LOG_LEVEL": "WARNING",
                "DATABASE_URL": self.database_url,
                "CELERY_BROKER_URL": self.redis.url,
                # Four slashes: django-environ drops the first one of the path.
                "EMAIL_URL": f"filemail:///{self.mail_dir}",
                "DJANGO_MEDIA_ROOT": str(self.media_dir),
            }
        )
        env.update(self.extra_env)
        return env

    # The web server

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def start_web(self, workers: int = 3) -> Process:
        self.web_port = free_port()
        args = [
            str(BIN / "gunicorn"),
            "kpi_portal.wsgi",
            "-b",
            f"127.0.0.1:{self.web_port}",
            "-w",
            str(workers),
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
            # Not the shared default socket in the home directory: several servers run at once.
            "--no-control-socket",
        ]
        process = self.processes.start("gunicorn", args, env=self.env())

        def serving() -> bool:
            assert process.running, f"gunicorn died:\n{process.log()}"
            try:
                with urllib.request.urlopen(f"{self.base_url}/accounts/login/", timeout=5) as response:
                    return response.status == 200
            except (OSError, urllib.error.HTTPError):
                return False

        wait_for(serving, START_TIMEOUT, "gunicorn to serve the login page", interval=0.2)
        return process

    def browser(self) -> Browser:
        return Browser(self.base_url)

    # The worker

    @property
    def sender(self):
        """A Celery app of the test's own on the test's Redis, to send tasks by name as beat does.

        Celery reads ``CELERY_BROKER_URL`` from the environment before any argument, and a control
        command publishes on the app's own broker whatever connection it is given, so the ``stack``
        fixture points that variable at the test's Redis while the test runs.
        """
        if self._sender is None:
            from celery import Celery

            assert os.environ.get("CELERY_BROKER_URL") == self.redis.url
            self._sender = Celery("faults", set_as_current=False)
            self._sender.conf.update(
                task_serializer="json",
                accept_content=["json"],
                broker_connection_timeout=2,
                broker_transport_options={"socket_connect_timeout": 2, "socket_timeout": 2},
            )
        return self._sender

    def send_task(self, name: str, *args) -> None:
        """Send a task by name, as beat does (its result is never read)."""
        self.sender.send_task(name, args=list(args), ignore_result=True)

    def ping(self, name: str) -> bool:
        try:
            replies = self.sender.control.ping(destination=[name], timeout=0.5)
        except Exception:
            return False
        return any(name in reply for reply in replies)

    def start_worker(self, concurrency: int = 2) -> Process:
        name = f"faults-{uuid.uuid4().hex[:8]}@127.0.0.1"
        args = [
            str(BIN / "celery"),
            "-A",
            "kpi_portal",
            "worker",
            "--pool=prefork",
            "-c",
            str(concurrency),
            "-l",
            "warning",
            "-n",
            name,
            "--without-gossip",
            "--without-mingle",
        ]
        process = self.processes.start("worker", args, env=self.env())

        def ready() -> bool:
            assert process.running, f"the Celery worker died:\n{process.log()}"
            return self.ping(name)

        wait_for(ready, START_TIMEOUT, "the Celery worker to answer a ping", interval=0.3)
        self.worker_names.append(name)
        return process

    def close(self) -> None:
        if self._sender is not None:
            self._sender.close()

    # What a user or HR would notice

    def mails(self) -> list[str]:
        return [path.read_text(errors="replace") for path in sorted(self.mail_dir.glob("*.log"))]


@pytest.fixture
def stack(transactional_db, processes, redis_server, work_dir, monkeypatch) -> Iterator[Stack]:
    from django.db import connection

    # Never the shared Redis: whatever this process sends while the test runs goes to the test's own.
    monkeypatch.setenv("CELERY_BROKER_URL", redis_server.url)
    require(connection.vendor == "postgresql", "the fault suite needs PostgreSQL (DATABASE_URL)")
    # The test's own rows must be committed before the servers read them: transactional_db does that.
    built = Stack(processes, redis_server, work_dir, database_url(connection.settings_dict))
    try:
        yield built
    finally:
        built.close()
        # Before transactional_db empties the tables: no server may still hold a connection to them.
        processes.stop_all()


# Lining requests up ------------------------------------------------------------------------------------


class Gate:
    """A lock held on the test database from a connection of the test's own.

    Requests that need the locked table (or row) wait at it, however far apart they arrived; let go,
    the gate sends them on at the same instant, so "at the same moment" does not depend on luck.
    ``waiting()`` counts the server's connections waiting for a lock (at the gate or behind each other).
    """

    def __init__(self, sql: str, params: list | None = None):
        import psycopg2
        from django.db import connection

        settings = connection.settings_dict
        self.name = settings["NAME"]
        self.connection = psycopg2.connect(
            dbname=self.name,
            user=settings["USER"],
            password=settings["PASSWORD"] or None,
            host=settings["HOST"] or "127.0.0.1",
            port=settings["PORT"] or 5432,
        )
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.pid = cursor.fetchone()[0]
            cursor.execute(sql, params)

    def waiting(self, query: str = "%") -> int:
        with self.connection.cursor() as cursor:
            # Inside one transaction PostgreSQL shows the activity as it first read it, unless told.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> %s "
                "AND wait_event_type = 'Lock' AND query ILIKE %s",
                [self.name, self.pid, query],
            )
            return cursor.fetchone()[0]

    def open(self) -> None:
        if not self.connection.closed:
            self.connection.rollback()
            self.connection.close()

    def __enter__(self) -> Gate:
        return self

    def __exit__(self, *exc) -> None:
        self.open()


# A browser without a browser ------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str
    seconds: float

    @property
    def location(self) -> str:
        return self.headers.get("location", "")

    @property
    def ok(self) -> bool:
        """What a user sees as "it worked or took me somewhere": a 2xx page or a 3xx redirect."""
        return 200 <= self.status < 400


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies, the CSRF token and the login form, as a browser does them; redirects are not followed."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect
        )

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.cookies if c.name == name), "")

    def request(
        self, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None, timeout=60
    ) -> Response:
        request = urllib.request.Request(
            self.base_url + path, data=body, method=method, headers=headers or {}
        )
        began = time.monotonic()
        try:
            with self.opener.open(request, timeout=timeout) as answer:
                status, answer_headers, content = answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as error:
            status, answer_headers, content = error.code, error.headers, error.read()
        return Response(
            status,
            {k.lower(): v for k, v in answer_headers.items()},
            content.decode(errors="replace"),
            time.monotonic() - began,
        )

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict | list, *, files: dict | None = None, **kwargs) -> Response:
        fields = list(data.items()) if isinstance(data, dict) else list(data)
        fields.append(("csrfmiddlewaretoken", self.cookie("csrftoken")))
        headers = {"Referer": self.base_url + path}
        if files:
            body, content_type = _multipart(fields, files)
        else:
            body = urllib.parse.urlencode(fields).encode()
            content_type = "application/x-www-form-urlencoded"
        headers["Content-Type"] = content_type
        return self.request("POST", path, body=body, headers=headers, **kwargs)

    def english(self) -> None:
        """Switch the interface to English (Django's set_language), so the test reads the messages."""
        answer = self.post("/i18n/setlang/", {"language": "en", "next": "/"})
        assert answer.status == 302 and self.cookie("django_language") == "en", answer.status

    def login(self, username: str, password: str) -> None:
        self.get("/accounts/login/")
        answer = self.post("/accounts/login/", {"username": username, "password": password})
        assert answer.status == 302, f"login of {username} failed: {answer.status}\n{answer.body[:2000]}"
        # The code is asked on the next page after the password (org.otp's middleware).
        if "/accounts/second-factor/" in self.get(answer.location or "/").location:
            self.second_factor(username)

    def second_factor(self, username: str) -> None:
        """The app code leaders, HR and administrators give after the password (org/otp.py): the one an
        authenticator app holding their device's secret shows (a device is added if they have none)."""
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from org.models import User
        from org.tests.sign_in import app_of, code_for

        user = User.objects.get(username=username)
        device = app_of(user) or TOTPDevice.objects.create(user=user, name="faults", confirmed=True)
        answer = self.post("/accounts/second-factor/", {"code": code_for(device)})
        assert answer.status == 302 and "/accounts/second-factor/" not in answer.location, (
            f"the second factor of {username} failed: {answer.status}\n{answer.body[:2000]}"
        )


def _multipart(fields: list, files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content, content_type) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def form_value(html: str, name: str) -> str:
    """The value of the input called ``name`` in a page (hidden tokens, versions)."""
    for tag in re.findall(r"<input[^>]*>", html):
        if re.search(rf'name="{re.escape(name)}"', tag):
            found = re.search(r'value="([^"]*)"', tag)
            return found.group(1) if found else ""
    raise AssertionError(f"no input {name!r} in the page")


# The figures of a run ---------------------------------------------------------------------------------


@dataclass
class Figures:
    """One row of docs/reliability.md's table, appended to the JSON file ``FAULTS_REPORT`` names."""

    scenario: str
    expected: str = ""
    observed: str = ""
    lost: int = 0
    duplicated: int = 0
    began: float = field(default_factory=time.monotonic)

    def write(self) -> None:
        target = os.environ.get("FAULTS_REPORT")
        if not target:
            return
        path = Path(target)
        rows = json.loads(path.read_text()) if path.exists() and path.read_text().strip() else []
        rows = [row for row in rows if row["scenario"] != self.scenario]
        rows.append(
            {
                "scenario": self.scenario,
                "expected": self.expected,
                "observed": self.observed,
                "lost": self.lost,
                "duplicated": self.duplicated,
                "seconds": round(time.monotonic() - self.began, 1),
                "at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            }
        )
        path.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")


@pytest.fixture
def figures(request) -> Figures:
    """The test fills it in as it goes and writes it at its end (so only a passing test leaves a row)."""
    return Figures(scenario=request.node.name)
