"""PostgreSQL restarted under 20 people writing their diaries: nothing saved is lost, nothing is doubled.

The web server runs on a PostgreSQL cluster of the test's own (initdb in a temporary directory, the
test database copied into it with pg_dump), restarted once with ``pg_ctl restart -m fast`` while 20
threads post diary entries over HTTP. Each new entry carries a fresh ``client_token`` (what the day
page puts in its form); a request that failed or whose answer was lost is posted again with the same
token, as the browser would resubmit the same form. Persistent connections are on
(``DJANGO_CONN_MAX_AGE``), the harder case: every one of them is broken by the restart.
"""

from __future__ import annotations

import collections
import os
import shutil
import subprocess
import threading
import time
import uuid

import psycopg2
import pytest
from django.db import connection
from django.utils import timezone

from conftest import require
from faults.conftest import PG_BIN, free_port, wait_for
from org.tests.factories import PASSWORD, MembershipFactory

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

WRITERS = 20
WRITING_SECONDS = 14
RESTART_AFTER_SECONDS = 4
# How long a writer keeps posting the same form again before giving up on it.
RETRY_SECONDS = 20


def as_postgres(args: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: run them as the postgres user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


class Cluster:
    """A PostgreSQL cluster of the test's own, on a free port of 127.0.0.1."""

    def __init__(self, directory):
        self.directory = directory
        self.data = directory / "data"
        self.port = free_port()
        self.log = directory / "postgres.log"

    def run(self, *args: str, timeout: float = 60) -> None:
        subprocess.run(
            as_postgres([str(PG_BIN / args[0]), *args[1:]]), check=True, timeout=timeout, capture_output=True
        )

    def pg_ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1"
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", *args)

    def create(self) -> None:
        self.directory.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        self.run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        self.pg_ctl("start")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.pg_ctl("stop", "-m", "immediate")

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def connect(self, name: str):
        return psycopg2.connect(dbname=name, user="postgres", host="127.0.0.1", port=self.port)


@pytest.fixture
def cluster(work_dir):
    require(
        (PG_BIN / "initdb").exists() and shutil.which("pg_dump") is not None,
        f"PostgreSQL 15 server binaries are not in {PG_BIN} (apt-get install postgresql-15)",
    )
    own = Cluster(work_dir / "pg")
    own.create()
    yield own
    own.stop()


def copy_test_database(cluster: Cluster, name: str) -> None:
    """The test database, schema and rows, into the cluster (about a second)."""
    source = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": source["PASSWORD"] or ""}
    subprocess.run(
        ["createdb", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", name], check=True, env=env
    )
    dump = subprocess.Popen(
        [
            "pg_dump",
            "--no-owner",
            "-h",
            source["HOST"] or "127.0.0.1",
            "-p",
            str(source["PORT"] or 5432),
            "-U",
            source["USER"] or "postgres",
            source["NAME"],
        ],
        stdout=subprocess.PIPE,
        env=env,
    )
    subprocess.run(
        [
            "psql",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            "127.0.0.1",
            "-p",
            str(cluster.port),
            "-U",
            "postgres",
            name,
        ],
        stdin=dump.stdout,
        check=True,
        env=env,
        capture_output=True,
    )
    assert dump.wait(60) == 0


class Writer(threading.Thread):
    """One person logging entries as fast as the server takes them; a failed post is posted again."""

    def __init__(self, browser, day: str, stage_id: int, stop: threading.Event):
        super().__init__(daemon=True)
        self.browser = browser
        self.day = day
        self.stage_id = stage_id
        self.stop_writing = stop
        self.attempted: list[str] = []  # tokens of the entries this writer set out to add
        self.succeeded: list[str] = []
        self.abandoned: list[str] = []
        self.errors: collections.Counter = collections.Counter()
        self.failed_at: list[float] = []  # when each failed request was sent
        self.requests = 0

    def post(self, token: str):
        form = {
            "stage": self.stage_id,
            "quantity": "0,01",
            "estimate_minutes": "",
            "description": token,
            "evidence_ref": "",
            "version": "",
            "client_token": token,
        }
        self.requests += 1
        sent = time.monotonic()
        try:
            answer = self.browser.post(f"/diary/day/{self.day}/", form, timeout=30)
        except OSError as error:  # refused, reset, timed out: the answer was lost
            self.errors[type(error).__name__] += 1
            self.failed_at.append(sent)
            return None
        if answer.status >= 500:
            self.failed_at.append(sent)
        return answer

    def run(self) -> None:
        while not self.stop_writing.is_set():
            token = str(uuid.uuid4())
            self.attempted.append(token)
            deadline = time.monotonic() + RETRY_SECONDS
            while True:
                answer = self.post(token)
                if (
                    answer is not None
                    and answer.status == 302
                    and f"/diary/day/{self.day}/" in answer.location
                ):
                    self.succeeded.append(token)
                    break
                if answer is not None:
                    self.errors[f"HTTP {answer.status}"] += 1
                if time.monotonic() > deadline:
                    self.abandoned.append(token)
                    break
                time.sleep(0.2)


def test_a_postgresql_restart_under_20_writers_loses_no_saved_entry_and_doubles_none(
    org, diary, cluster, stack, figures
):
    figures.scenario = "6. PostgreSQL restarted under 20 writers"
    people = [MembershipFactory(unit=org.unit1, person__username=f"writer{n}").person for n in range(WRITERS)]
    name = "kpi_faults_restart"
    copy_test_database(cluster, name)
    stack.database_url = cluster.url(name)
    stack.extra_env["DJANGO_CONN_MAX_AGE"] = "60"
    stack.start_web()
    day = timezone.localdate().isoformat()
    stop = threading.Event()
    writers = []
    for person in people:
        browser = stack.browser()
        browser.login(person.username, PASSWORD)
        writers.append(Writer(browser, day, diary.study.pk, stop))

    for writer in writers:
        writer.start()
    time.sleep(RESTART_AFTER_SECONDS)  # the writers run meanwhile: the restart lands in the middle
    before_restart = sum(len(w.succeeded) for w in writers)
    cluster.pg_ctl("restart", "-m", "fast")
    restarted = time.monotonic()
    after_restart = sum(len(w.succeeded) for w in writers)
    wait_for(
        lambda: sum(len(w.succeeded) for w in writers) > after_restart + WRITERS,
        30,
        "the writers to get entries saved again after the restart",
    )
    recovered = time.monotonic() - restarted
    time.sleep(max(0.0, WRITING_SECONDS - (time.monotonic() - restarted)))
    stop.set()
    for writer in writers:
        writer.join(RETRY_SECONDS + 35)
    assert not any(w.is_alive() for w in writers), "a writer never finished"

    with cluster.connect(name) as db, db.cursor() as cursor:
        cursor.execute(
            "SELECT client_token::text, count(*) FROM worklog_diaryentry "
            "WHERE person_id = ANY(%s) GROUP BY 1",
            [[p.pk for p in people]],
        )
        rows = dict(cursor.fetchall())
    succeeded = {t for w in writers for t in w.succeeded}
    attempted = {t for w in writers for t in w.attempted}
    errors = sum((w.errors for w in writers), collections.Counter())
    # Sent once the restarted server took connections again: only a stale persistent connection fails them.
    failed_after = sum(1 for w in writers for at in w.failed_at if at > restarted)
    lost = sorted(t for t in succeeded if t not in rows)
    duplicated = sorted(t for t, n in rows.items() if n > 1)
    strangers = sorted(t for t in rows if t not in attempted)
    figures.expected = f"{WRITERS} writers, 1 restart: every saved entry once"
    failures = ", ".join(f"{kind} × {count}" for kind, count in sorted(errors.items())) or "none"
    figures.observed = (
        f"{len(attempted)} entries attempted in {sum(w.requests for w in writers)} requests, "
        f"{len(succeeded)} saved ({before_restart} before the restart), "
        f"{sum(len(w.abandoned) for w in writers)} given up; failed requests: {failures} "
        f"({failed_after} of them sent after the restart), each posted again with its token; "
        f"saving again {recovered:.1f} s after the restart"
    )
    figures.lost = len(lost)
    figures.duplicated = len(duplicated)
    assert not lost, f"saved entries missing from the database: {lost[:5]}"
    assert not duplicated, f"entries saved twice: {duplicated[:5]}"
    assert not strangers, f"rows nobody asked for: {strangers[:5]}"
    assert not any(w.abandoned for w in writers), figures.observed
    assert failed_after == 0, figures.observed
    assert after_restart > 0 and len(succeeded) > after_restart
    figures.write()
