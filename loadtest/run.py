"""``make loadtest``: gunicorn with the production settings on the loopback, locust against it.

Environment (defaults in brackets):
  LOADTEST_USERS [200], LOADTEST_TIME [2m]     simulated users and run time (locust's -u and -t)
  LOADTEST_WORKER_CLASS [sync]                 gunicorn worker class: sync or gthread (measured:
                                               docs/performance.md)
  LOADTEST_WORKERS [4], LOADTEST_THREADS [4]   gunicorn workers, and threads of each (gthread)
  LOADTEST_DATABASE_URL                        a database of its own, created, seeded with the demo
                                               and dropped (its name must contain "loadtest";
                                               postgres://postgres@127.0.0.1:5432/kpi_portal_loadtest)
  LOADTEST_CACHE_URL [redis://127.0.0.1:6379/14]  the production settings' Redis cache
  LOADTEST_PORT [8765], LOADTEST_KEEP=1 (keep the database), LOADTEST_REUSE=1 (run again on a kept
  database without seeding it; implies keeping it), LOADTEST_OUT (the figures as JSON)

Exit status 1 on any failed request or a lost write (a POST locust saw succeed without its row).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kpi_portal_loadtest"
P95_TARGET_MS = 500


def log(message: str) -> None:
    print(f"[loadtest] {message}", flush=True)


def _env() -> dict[str, str]:
    import environ

    url = os.environ.get("LOADTEST_DATABASE_URL") or DEFAULT_URL
    if "loadtest" not in environ.Env.db_url_config(url)["NAME"]:
        sys.exit(
            "LOADTEST_DATABASE_URL: the database is dropped and created, so its name must contain loadtest"
        )
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kpi_portal.settings.production",
        "DJANGO_SECRET_KEY": "loadtest-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": url,
        "CACHE_URL": os.environ.get("LOADTEST_CACHE_URL") or "redis://127.0.0.1:6379/14",
        # Plain HTTP on the loopback: requests say they came through a TLS proxy (locustfile).
        "DJANGO_SECURE_PROXY_SSL_HEADER": "True",
        "DJANGO_SECURE_SSL_REDIRECT": "False",
        "DJANGO_CONN_MAX_AGE": "600",
        # No broker: an approval's recomputation runs after its commit, inside the request (the
        # slower case; with a broker a worker does it).
        "CELERY_BROKER_URL": "",
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _database(url: str, *, create: bool) -> None:
    """Drop the load test's database, and create it again when ``create``."""
    import environ
    import psycopg2
    from psycopg2 import sql

    db = environ.Env.db_url_config(url)
    connection = psycopg2.connect(
        dbname="postgres",
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
    )
    connection.autocommit = True
    name = sql.Identifier(db["NAME"])
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        if create:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(name))
    connection.close()


# Run by ``manage.py shell``: the demo accounts by role and the rows the writes are checked against.
ACCOUNTS_SCRIPT = """
import json
from django.db.models import Q
from demo.second_factor import DEMO_TOTP_KEY
from org.models import Membership, Role, RoleAssignment
from org.selectors import today
from worklog.models import DiaryEntry, EntryStatus
heads = set(Membership.objects.filter(is_head=True).values_list("person_id", flat=True))
hr = RoleAssignment.objects.filter(role=Role.HR, agency__isnull=False, person__is_active=True)
rows = Membership.objects.filter(person__is_active=True, end__isnull=True).select_related("person")
print(json.dumps({
    "today": today().isoformat(),
    "totp_key": DEMO_TOTP_KEY,
    "staff": [{"username": m.person.username} for m in rows if m.person_id not in heads],
    "reviewer": [{"username": m.person.username} for m in rows if m.person_id in heads],
    "hr": [
        {"username": r.person.username, "agency": r.agency.code}
        for r in hr.select_related("person", "agency")
    ],
    "entries": DiaryEntry.objects.count(),
    "approved": DiaryEntry.objects.filter(status=EntryStatus.APPROVED).count(),
}))
"""


def _accounts(env: dict[str, str]) -> dict:
    return json.loads(_manage(env, "shell", "-c", ACCOUNTS_SCRIPT).strip().splitlines()[-1])


def _wait_up(url: str, process: subprocess.Popen) -> None:
    for _ in range(120):
        if process.poll() is not None:
            sys.exit("gunicorn stopped before answering")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    sys.exit("gunicorn did not answer in 60 s")


def _stats(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def main() -> int:
    env = _env()
    users, run_time = os.environ.get("LOADTEST_USERS", "200"), os.environ.get("LOADTEST_TIME", "2m")
    worker_class = os.environ.get("LOADTEST_WORKER_CLASS", "sync")
    workers, threads = os.environ.get("LOADTEST_WORKERS", "4"), os.environ.get("LOADTEST_THREADS", "4")
    port = os.environ.get("LOADTEST_PORT", "8765")
    if worker_class not in {"sync", "gthread"}:
        sys.exit("LOADTEST_WORKER_CLASS must be sync or gthread")
    reuse = os.environ.get("LOADTEST_REUSE", "") in {"1", "true", "yes"}
    if reuse:
        log(f"database {env['DATABASE_URL']}: reused (migrated, not seeded again)")
        _manage(env, "migrate", "--noinput")
    else:
        log(f"database {env['DATABASE_URL']}: migrate and seed the demo")
        _database(env["DATABASE_URL"], create=True)
        _manage(env, "migrate", "--noinput")
        # --force: the production settings have DEBUG off, and this database is thrown away afterwards.
        _manage(env, "seed_demo", "--force")
    _manage(env, "collectstatic", "--noinput")
    before = _accounts(env)
    work = Path(tempfile.mkdtemp(prefix="kpi-loadtest-"))
    (work / "accounts.json").write_text(json.dumps(before))
    server_log = open(work / "gunicorn.log", "w")  # noqa: SIM115 (open while gunicorn runs)
    gunicorn = subprocess.Popen(
        [
            str(BIN / "gunicorn"), "kpi_portal.wsgi", "-b", f"127.0.0.1:{port}", "-k", worker_class,
            "-w", workers, *(["--threads", threads] if worker_class == "gthread" else []),
            "--timeout", "60", "--no-control-socket",
        ],
        cwd=ROOT, env=env, stdout=server_log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    figures: dict = {}
    try:
        _wait_up(f"http://127.0.0.1:{port}/healthz/", gunicorn)
        log(
            f"gunicorn {worker_class} × {workers}"
            + (f" × {threads} threads" if worker_class == "gthread" else "")
        )
        load_start = os.getloadavg()[0]
        locust = subprocess.run(
            [
                str(BIN / "locust"), "-f", str(ROOT / "loadtest" / "locustfile.py"), "--headless",
                "-u", users, "-r", str(max(1, int(users) // 20)), "-t", run_time,
                "--host", f"http://127.0.0.1:{port}", "--csv", str(work / "locust"), "--only-summary",
                "--stop-timeout", "30", "--loglevel", "WARNING",
            ],
            cwd=ROOT, env={**env, "LOADTEST_ACCOUNTS": str(work / "accounts.json"),
                           "LOADTEST_WRITES": str(work / "writes.json")},
        )  # fmt: skip
        load_end = os.getloadavg()[0]
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
        server_log.close()
    after = _accounts(env)
    writes = json.loads((work / "writes.json").read_text()) if (work / "writes.json").exists() else {}
    rows = _stats(work / "locust")
    lost = {
        "entries": writes.get("entries", 0) - (after["entries"] - before["entries"]),
        "approved": writes.get("approved", 0) - (after["approved"] - before["approved"]),
    }
    total = next(r for r in rows if r["Name"] == "Aggregated")
    errors = int(total["Failure Count"])
    p95 = float(total["95%"])
    print()
    print(f"{'endpoint':<48} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    for r in rows:
        print(
            f"{r['Type'] + ' ' + r['Name'] if r['Type'] else r['Name']:<48} {r['Request Count']:>8}"
            f" {r['Failure Count']:>6} {r['50%']:>7} {r['95%']:>7} {r['99%']:>7}"
        )
    print()
    print(
        f"{users} users, {run_time}, gunicorn {worker_class} × {workers}"
        + (f" × {threads}" if worker_class == "gthread" else "")
        + f"; load {load_start:.1f} → {load_end:.1f} on {os.cpu_count()} CPUs"
    )
    verdict = "OK" if p95 <= P95_TARGET_MS else "MISSED"
    print(f"p95 of every request {p95:.0f} ms (target ≤ {P95_TARGET_MS})  {verdict}")
    print(f"errors {errors} (target 0)  {'OK' if errors == 0 else 'MISSED'}")
    if writes.get("approvals_refused"):
        print(
            f"approvals refused with a message (another tab of the same reviewer was first):"
            f" {writes['approvals_refused']}"
        )
    for key in ("entries", "approved"):
        print(
            f"writes: {writes.get(key, 0)} successful POSTs of {key}, {after[key] - before[key]} rows"
            f" ({'OK' if lost[key] == 0 else f'MISSED: {lost[key]} lost'})"
        )
    figures = {"users": users, "time": run_time, "worker_class": worker_class, "workers": workers,
               "threads": threads, "load": [load_start, load_end], "stats": rows, "writes": writes,
               "rows_before": before["entries"], "rows_after": after["entries"], "lost": lost,
               "p95_ms": p95, "errors": errors}  # fmt: skip
    if os.environ.get("LOADTEST_OUT"):
        Path(os.environ["LOADTEST_OUT"]).write_text(json.dumps(figures, indent=2))
    if not reuse and os.environ.get("LOADTEST_KEEP", "") not in {"1", "true", "yes"}:
        _database(env["DATABASE_URL"], create=False)
    failed = errors or any(lost.values()) or locust.returncode not in (0, 1)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
