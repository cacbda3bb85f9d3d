"""The read replica (docs/scaling.md): dashboards, exports and PDF downloads read it, nothing else does.

The router is tested without a replica (the ``replica`` alias is only added for a test), then against
a real streaming replica: a PostgreSQL primary of the test's own (initdb) and a replica made from it with
``pg_basebackup -R -X stream``, started on another port. The shared server is not used as the primary:
its pg_hba.conf has no ``replication`` line, and a test must not change a server's configuration.
"""

from __future__ import annotations

import datetime
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg2
import pytest
import time_machine
from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, InternalError, connections
from django.db import router as django_router
from django.test import RequestFactory
from django.urls import reverse

from conftest import require
from kpi_portal import db_router
from kpi_portal.db_router import REPLICA, ReplicaRouter, use_replica
from org.models import Agency
from reports import selectors, services
from reports.models import JobStatus, ReportJob, ReportKind

APRIL = datetime.date(2025, 4, 1)
AFTER_APRIL = datetime.datetime(2025, 5, 6, 9, tzinfo=datetime.UTC)
PG_BIN = next(
    (
        path
        for path in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
        if (path / "pg_ctl").exists()
    ),
    Path("/usr/lib/postgresql/15/bin"),
)


@pytest.fixture
def replica_alias():
    """A ``replica`` alias, as DATABASE_REPLICA_URL makes one (here: default's settings, never connected)."""
    connections.settings[REPLICA] = {**connections[DEFAULT_DB_ALIAS].settings_dict}
    yield
    _drop_alias()


def _drop_alias() -> None:
    if REPLICA in connections.settings:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


def _settings_with_a_replica_url(module: str) -> str:
    show = (
        "from django.conf import settings as s; r = s.DATABASES.get('replica');"
        "print(r and (r['HOST'], r['PORT'], r['NAME'], r['TEST']['MIRROR']), s.DATABASE_ROUTERS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {show}"],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": module,
            "DATABASE_REPLICA_URL": "postgres://reader@replica.example:5433/kpi",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_database_replica_url_adds_the_alias_a_test_mirror_of_default_but_tests_have_none():
    assert _settings_with_a_replica_url("kpi_portal.settings.local") == (
        "('replica.example', 5433, 'kpi', 'default') ['kpi_portal.db_router.ReplicaRouter']"
    )
    assert _settings_with_a_replica_url("kpi_portal.settings.test") == (
        "None ['kpi_portal.db_router.ReplicaRouter']"
    )


# The router ------------------------------------------------------------------------------------------


def test_without_a_replica_nothing_changes():
    router = ReplicaRouter()
    assert REPLICA not in connections
    with use_replica():
        assert router.db_for_read(Agency) == DEFAULT_DB_ALIAS
        assert router.db_for_write(Agency) == DEFAULT_DB_ALIAS
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "org") is None


def test_only_reads_inside_use_replica_go_to_the_replica(replica_alias):
    router = ReplicaRouter()
    assert router.db_for_read(Agency) == DEFAULT_DB_ALIAS
    with use_replica():
        assert db_router.reading_replica()
        assert router.db_for_read(Agency) == REPLICA
        assert router.db_for_write(Agency) == DEFAULT_DB_ALIAS
    assert not db_router.reading_replica()
    assert router.db_for_read(Agency) == DEFAULT_DB_ALIAS
    assert router.allow_migrate(REPLICA, "org") is False
    # An object read from the replica: once outside, its related objects and its saves use default.
    read_there = Agency(code="STC")
    read_there._state.db = REPLICA
    assert django_router.db_for_read(Agency, instance=read_there) == DEFAULT_DB_ALIAS
    assert django_router.db_for_write(Agency, instance=read_there) == DEFAULT_DB_ALIAS


@pytest.mark.django_db
def test_a_read_inside_a_transaction_stays_on_default(replica_alias):
    # The test runs inside a transaction on default: what it wrote must be what it reads.
    assert connections[DEFAULT_DB_ALIAS].in_atomic_block
    with use_replica():
        assert ReplicaRouter().db_for_read(Agency) == DEFAULT_DB_ALIAS


# The views -------------------------------------------------------------------------------------------


@pytest.fixture
def spy(monkeypatch):
    """Whether each dashboard read ran inside use_replica()."""
    seen: list[bool] = []
    for name in ("computed_months", "being_updated"):
        real = getattr(selectors, name)

        def recording(*args, _real=real, **kwargs):
            seen.append(db_router.reading_replica())
            return _real(*args, **kwargs)

        monkeypatch.setattr(selectors, name, recording)
    return seen


@pytest.fixture
def computed(org, april):
    services.month_compute(agency=org.agency, month=APRIL)


@pytest.mark.dates
@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, args",
    [
        ("reports:agency", lambda org: [org.agency.code]),
        ("reports:unit", lambda org: [org.unit1.pk]),
        ("reports:fairness", lambda org: [org.agency.code]),
        ("reports:export", lambda org: [org.agency.code, "csv"]),
    ],
)
def test_dashboards_and_exports_read_inside_use_replica(
    client, org, computed, spy, name, args, django_assert_max_num_queries
):
    client.force_login(org.hr if name != "reports:unit" else org.head1)
    with django_assert_max_num_queries(40):
        response = client.get(reverse(name, args=args(org)), {"month": "2025-04"})
    assert response.status_code == 200
    assert spy and all(spy)
    assert not db_router.reading_replica()


@pytest.mark.dates
@pytest.mark.django_db
def test_outsiders_and_bad_input_are_refused_as_before(client, org, computed, spy):
    client.force_login(org.leader_b)
    assert client.get(reverse("reports:agency", args=[org.agency.code])).status_code == 404
    client.force_login(org.member1)
    assert client.get(reverse("reports:agency", args=[org.agency.code])).status_code == 403
    client.force_login(org.hr)
    assert client.get(reverse("reports:export", args=[org.agency.code, "pdf"])).status_code == 404
    assert not db_router.reading_replica()


@pytest.mark.dates
@pytest.mark.django_db
def test_after_marking_a_month_sent_hr_reads_the_primary_for_a_while(client, org, computed, spy):
    client.force_login(org.hr)
    url = reverse("reports:agency", args=[org.agency.code])
    with time_machine.travel(AFTER_APRIL, tick=False):
        page = client.post(
            reverse("reports:mark_sent", args=[org.agency.code]), {"month": "2025-04"}, follow=True
        )
        assert "Đã gửi Sở Nội vụ ngày 06/05/2025" in page.content.decode()
        assert spy and not any(spy)  # the POST and the page it redirects to: default
    spy.clear()
    with time_machine.travel(AFTER_APRIL + datetime.timedelta(minutes=1), tick=False):
        assert client.get(url, {"month": "2025-04"}).status_code == 200
    assert spy and all(spy)


@pytest.mark.django_db
def test_a_pdf_the_replica_does_not_show_finished_yet_is_read_from_default(
    client, org, monkeypatch, settings, tmp_path, django_assert_max_num_queries
):
    settings.MEDIA_ROOT = tmp_path
    job = ReportJob.objects.create(
        kind=ReportKind.QUARTERLY, agency=org.agency, period=datetime.date(2026, 1, 1),
        requested_by=org.hr, status=JobStatus.RUNNING, progress=40,
    )  # fmt: skip
    reads: list[bool] = []
    real = ReportJob.objects.select_related

    def recording(*args):
        reads.append(db_router.reading_replica())
        return real(*args)

    monkeypatch.setattr(ReportJob.objects, "select_related", recording)
    client.force_login(org.hr)
    url = reverse("reports:job_download", args=[job.pk])

    assert client.get(url).status_code == 404  # not finished on the replica, nor on default
    assert reads == [True, False]

    reads.clear()
    job.status = JobStatus.DONE
    job.file.save("q1.pdf", ContentFile(b"%PDF-1.7"))
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200 and reads == [True]
    response.close()


# A real streaming replica -------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(args: list[str]) -> list[str]:
    """initdb, pg_basebackup and postgres refuse to run as root: run them as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def _run(*args: str) -> None:
    done = subprocess.run(
        _as_postgres([str(PG_BIN / args[0]), *args[1:]]), timeout=120, capture_output=True, text=True
    )
    assert done.returncode == 0, f"{args[0]} failed: {done.stderr}"


class Server:
    def __init__(self, directory: Path, name: str):
        self.directory = directory
        self.data = directory / name
        self.log = directory / f"{name}.log"
        self.port = _free_port()

    def pg_ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1"
        _run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", *args)

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.pg_ctl("stop", "-m", "immediate")

    def connect(self):
        connection = psycopg2.connect(dbname="postgres", user="postgres", host="127.0.0.1", port=self.port)
        connection.autocommit = True
        return connection


@pytest.fixture
def streaming():
    """A primary (initdb, replication allowed from 127.0.0.1) and its streaming replica."""
    require(
        (PG_BIN / "pg_basebackup").exists() and shutil.which("runuser") is not None,
        f"PostgreSQL server programs (pg_ctl, pg_basebackup) are not in {PG_BIN}",
    )
    directory = Path(tempfile.mkdtemp(prefix="kpi-replica-"))  # not under pytest's 0700 folder
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    primary, replica = Server(directory, "primary"), Server(directory, "replica")
    try:
        _run(
            "initdb",
            "-D",
            str(primary.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        # initdb's pg_hba.conf already trusts replication from 127.0.0.1; wal_level=replica is the default.
        primary.pg_ctl("start")
        _run("pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
             "-D", str(replica.data), "-R", "-X", "stream")  # fmt: skip
        replica.pg_ctl("start")
        yield primary, replica
    finally:
        replica.stop()
        primary.stop()
        shutil.rmtree(directory, ignore_errors=True)


def _wait_for(check, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def test_a_real_replica_follows_the_primary_takes_the_routed_reads_and_refuses_writes(
    streaming, django_db_blocker
):
    primary, replica = streaming
    with primary.connect() as writer, writer.cursor() as cursor:
        cursor.execute("CREATE TABLE probe (note text)")
        cursor.execute("INSERT INTO probe VALUES ('written on the primary')")

    connections.settings[REPLICA] = {
        **connections[DEFAULT_DB_ALIAS].settings_dict,
        "NAME": "postgres", "USER": "postgres", "PASSWORD": "", "HOST": "127.0.0.1",
        "PORT": str(replica.port),
    }  # fmt: skip
    try:
        with django_db_blocker.unblock(), use_replica():
            alias = ReplicaRouter().db_for_read(Agency)
            assert alias == REPLICA and ReplicaRouter().db_for_write(Agency) == DEFAULT_DB_ALIAS
            reader = connections[alias]

            def arrived() -> bool:
                with reader.cursor() as cursor:
                    cursor.execute("SELECT to_regclass('probe') IS NOT NULL")
                    return cursor.fetchone()[0]

            assert _wait_for(arrived), "the row never reached the replica"
            with reader.cursor() as cursor:
                cursor.execute("SELECT pg_is_in_recovery(), inet_server_port(), (SELECT note FROM probe)")
                assert cursor.fetchone() == (True, replica.port, "written on the primary")
            with pytest.raises(InternalError, match="read-only transaction"), reader.cursor() as cursor:
                cursor.execute("INSERT INTO probe VALUES ('written on the replica')")
    finally:
        with django_db_blocker.unblock():
            _drop_alias()


def _copy_test_database_to(primary: Server, name: str) -> None:
    """The test database, schema and rows, into the primary: the replica receives it by streaming."""
    source = connections[DEFAULT_DB_ALIAS].settings_dict
    env = {**os.environ, "PGPASSWORD": source["PASSWORD"] or ""}
    target = ["-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres"]
    subprocess.run(["createdb", *target, name], check=True, env=env, timeout=60)
    dump = subprocess.run(
        ["pg_dump", "--no-owner", "-h", source["HOST"] or "127.0.0.1", "-p", str(source["PORT"] or 5432),
         "-U", source["USER"] or "postgres", source["NAME"]],
        check=True, capture_output=True, env=env, timeout=120,
    )  # fmt: skip
    subprocess.run(
        ["psql", "-q", "-v", "ON_ERROR_STOP=1", *target, "-d", name],
        input=dump.stdout, check=True, capture_output=True, env=env, timeout=120,
    )  # fmt: skip


@pytest.mark.dates
@pytest.mark.django_db(transaction=True)
def test_the_agency_dashboard_reads_the_real_replica(client, org, computed, streaming):
    primary, replica = streaming
    _copy_test_database_to(primary, "kpi")
    connections.settings[REPLICA] = {
        **connections[DEFAULT_DB_ALIAS].settings_dict,
        "NAME": "kpi", "USER": "postgres", "PASSWORD": "", "HOST": "127.0.0.1",
        "PORT": str(replica.port), "CONN_MAX_AGE": None, "CONN_HEALTH_CHECKS": False,
    }  # fmt: skip
    try:
        # Connected here, kept for the whole test: Django's test case refuses to open a connection to
        # an alias it did not set up, and the replica is not one of its test databases.
        connections[REPLICA].connect()

        def arrived() -> bool:
            with connections[REPLICA].cursor() as cursor:
                cursor.execute("SELECT to_regclass('reports_personmonth') IS NOT NULL")
                if not cursor.fetchone()[0]:
                    return False
                return Agency.objects.using(REPLICA).filter(code=org.agency.code).exists()

        assert _wait_for(arrived, 60), "the copied database never reached the replica"
        # Default and the replica now differ: the page shows the replica's name, so it read the replica.
        Agency.objects.filter(pk=org.agency.pk).update(name="Renamed on default only")
        client.force_login(org.hr)

        page = client.get(reverse("reports:agency", args=[org.agency.code]), {"month": "2025-04"})

        assert page.status_code == 200
        text = page.content.decode()
        assert org.agency.name in text and "Renamed on default only" not in text
        with pytest.raises(InternalError, match="read-only transaction"):
            Agency.objects.using(REPLICA).filter(pk=org.agency.pk).update(name="Written on the replica")
        # A write the router places goes to default, even inside use_replica().
        with use_replica():
            assert ReplicaRouter().db_for_write(Agency) == DEFAULT_DB_ALIAS
    finally:
        _drop_alias()


def test_an_unreachable_replica_is_logged_and_the_page_reads_default(django_db_blocker, caplog):
    connections.settings[REPLICA] = {
        **connections[DEFAULT_DB_ALIAS].settings_dict,
        "HOST": "127.0.0.1", "PORT": str(_free_port()), "OPTIONS": {"connect_timeout": 2},
    }  # fmt: skip
    view = db_router.replica_reads(lambda request: db_router.reading_replica())
    try:
        with django_db_blocker.unblock():
            assert view(RequestFactory().get("/")) is False
            assert view(RequestFactory().post("/")) is False
    finally:
        _drop_alias()
    assert "The read replica is unreachable" in caplog.text
