"""``make bench``: synthetic data in a database of its own, then the figures of docs/performance.md.

Environment:
  BENCH_SCALE         ``small`` (default, ~600 people, a couple of minutes), ``province``
                      (20,000 people × 3 months, about 7 million diary entries) or ``province-year``
                      (20,000 people × 12 months, about 27 million)
  BENCH_DATABASE_URL  the bench database, created and dropped here; its name must contain "bench"
                      (default postgres://postgres@127.0.0.1:5432/kpi_portal_bench)
  BENCH_OUT           also write the figures as JSON to this file
  BENCH_KEEP=1        keep the database afterwards; BENCH_REUSE=1 also reuses one already built
                      at the same scale instead of generating it again
  BENCH_EXPLAIN=1     print EXPLAIN ANALYZE of the job's slowest statement and of the raw GROUP BY

The project's settings are used with ``DATABASE_URL`` pointed at the bench database, DEBUG off,
tasks in-process and a local-memory cache, so neither the development database, the test database
nor a shared broker or cache is ever touched.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import sys
import time
import warnings
from pathlib import Path

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kpi_portal_bench"
STARTED = time.perf_counter()
LOAD_AT_START = os.getloadavg()[0]


def log(message: str) -> None:
    print(f"[{time.perf_counter() - STARTED:6.1f} s] {message}", flush=True)


def _flag(name: str) -> bool:
    return os.environ.get(name, "").lower() in {"1", "true", "yes"}


def _configure() -> dict:
    """Point the project's settings at the bench database before Django loads them."""
    import environ

    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL
    database = environ.Env.db_url_config(url)
    if "postgresql" not in database["ENGINE"]:
        sys.exit(f"BENCH_DATABASE_URL must be a PostgreSQL database, got {url}")
    name = database["NAME"]
    if "bench" not in name:
        sys.exit(
            f"refusing to use database {name!r}: the bench drops its database, so its name must say bench"
        )
    current = os.environ.get("DATABASE_URL")
    if current and environ.Env.db_url_config(current).get("NAME") in {name, f"test_{name}"}:
        sys.exit(f"BENCH_DATABASE_URL names the database of DATABASE_URL ({name}); choose another name")
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="kpi_portal.settings.local",
        DJANGO_DEBUG="False",
        DJANGO_ALLOWED_HOSTS="testserver",
        # A persistent connection, as a production server keeps: the pages are timed without connecting.
        DJANGO_CONN_MAX_AGE="600",
        CELERY_BROKER_URL="",
        CACHE_URL="locmemcache://",
        DJANGO_LOG_LEVEL="WARNING",
    )
    return database


def _server(database: dict, dbname: str = "postgres"):
    import psycopg2

    try:
        connection = psycopg2.connect(
            dbname=dbname,
            user=database.get("USER") or None,
            password=database.get("PASSWORD") or None,
            host=database.get("HOST") or None,
            port=database.get("PORT") or None,
        )
    except psycopg2.OperationalError as error:
        if dbname != "postgres":
            raise
        sys.exit(f"cannot reach PostgreSQL for the bench database (BENCH_DATABASE_URL): {error}")
    connection.autocommit = True
    return connection


def _built_before(database: dict, scale: str) -> dict | None:
    """The generation summary of an existing bench database at this scale, if there is one."""
    import psycopg2

    try:
        connection = _server(database, database["NAME"])
    except psycopg2.OperationalError:
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('bench_meta') IS NOT NULL")
            if not cursor.fetchone()[0]:
                return None
            cursor.execute("SELECT built FROM bench_meta WHERE scale = %s", [scale])
            row = cursor.fetchone()
    finally:
        connection.close()
    return row[0] if row else None


def _recreate(database: dict) -> None:
    from psycopg2 import sql

    connection = _server(database)
    with connection.cursor() as cursor:
        name = sql.Identifier(database["NAME"])
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(name))
    connection.close()


def _drop(database: dict) -> None:
    from django.db import connections
    from psycopg2 import sql

    connections.close_all()
    connection = _server(database)
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database["NAME"]))
        )
    connection.close()


def _generate(scale) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from . import data

    began = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    log(f"migrated ({time.perf_counter() - began:.0f} s)")
    log(f"generating the {scale.name} scale: {scale.people:,} people in {len(scale.agencies)} agencies")
    built = data.build(scale, log)
    data.vacuum_analyze(log)
    seconds = {k: round(v, 1) for k, v in built.seconds.items()}
    seconds["total"] = round(time.perf_counter() - began, 1)
    summary = {
        "people": built.people,
        "agencies": len(built.agencies),
        "entries": built.entries,
        "flags": built.flags,
        "assignments": built.assignments,
        "working_days": built.working_days,
        "generation_seconds": seconds,
    }
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_meta (scale text PRIMARY KEY, built jsonb NOT NULL)")
        cursor.execute("INSERT INTO bench_meta VALUES (%s, %s)", [scale.name, json.dumps(summary)])
    return summary


def _machine() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
        settings = {}
        for name in ("shared_buffers", "work_mem", "jit", "max_parallel_workers_per_gather"):
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
    memory = None
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split("MemTotal:", 1)[1].split()[0])
        memory = round(kib / 1024 / 1024, 1)
    return {
        # Other work on the machine skews every figure: a load above the CPU count means a noisy run.
        "load_average_at_start": round(LOAD_AT_START, 2),
        "load_average_at_end": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
        "memory_gib": memory,
        "postgresql": postgres,
        "postgresql_settings": settings,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


# The targets of issue 18 (docs/performance.md): name -> (label, limit as printed).
TARGETS = {
    "job_ratio": "≤ 1.5 × raw",
    "job_queries_constant": "constant",
    "leader_queue": "≤ 300 ms",
    "queue": "≤ 150 ms",
    "approval": "≤ 150 ms",
    "me": "≤ 100 ms",
    "pdf_ratio": "≤ 1.3 × bare",
}
LIMITS_MS = {"leader_queue": 300, "queue": 150, "approval": 150, "me": 100}


def _targets(figures: dict) -> dict:
    """Each target: met (True/False) or not measurable (None)."""
    pages = figures["pages"]
    targets: dict[str, bool | None] = {
        "job_ratio": figures["job_ratio"] <= 1.5,
        "job_queries_constant": figures["job_queries"] == figures["job_queries_smallest"],
        "pdf_ratio": (figures["pdf_ratio"] <= 1.3 if figures["pdf_ratio"] is not None else None),
    }
    for name, limit in LIMITS_MS.items():
        page = pages.get(name, {})
        targets[name] = page["seconds"] * 1000 <= limit if page.get("available") else None
    for name, page in pages.items():
        if "constant_queries" in page:
            targets[f"{name}_queries_constant"] = page["constant_queries"] if page.get("available") else None
    return targets


def _verdict(met: bool | None) -> str:
    return {True: "OK", False: "MISSED", None: "n/a"}[met]


def _ms(spread: dict) -> str:
    return (
        f"{spread['median'] * 1000:.0f} ms (min {spread['min'] * 1000:.0f}, max {spread['max'] * 1000:.0f})"
    )


LABELS = {
    "day": "diary day page",
    "week": "diary week grid",
    "queue": "review queue, unit head",
    "leader_queue": "review queue, largest agency's leader",
    "dashboard": "agency dashboard",
    "me": "/reports/me/, month still going",
    "annual": "annual ratings list",
    "approval": "approval click (server time)",
}


def _summary(figures: dict) -> str:
    job = figures["job"]
    big, small = job["largest"], job["smallest"]
    targets = figures["targets"]
    settings = ", ".join(f"{k}={v}" for k, v in job["settings"].items())
    lines = [
        (
            f"monthly job, {big['agency']} {job['month']}"
            f" ({big['people']:,} people, {big['entries']:,} entries)",
            f"{_ms(big['job_spread'])}, {big['job_queries']} queries",
            "",
            "",
        ),
        ("  of which its slowest statement", f"{big['job_sql_seconds'] * 1000:.0f} ms", "", ""),
        (
            f"  every agency's {job['month']} ({figures['agencies']} agencies, one after the other)",
            f"{figures['all_agencies_month_seconds'][job['month']]:.1f} s",
            "",
            "",
        ),
        ("raw SQL GROUP BY over the same rows, same settings", _ms(big["raw_spread"]), "", ""),
        (
            "job ÷ raw SQL (medians, interleaved)",
            f"{big['job_ratio']:.2f}",
            TARGETS["job_ratio"],
            _verdict(targets["job_ratio"]),
        ),
        (
            f"job queries: {big['agency']} vs {small['agency']} ({small['people']} people)",
            f"{big['job_queries']} vs {small['job_queries']}",
            "constant",
            _verdict(targets["job_queries_constant"]),
        ),
    ]
    for name, page in figures["pages"].items():
        label = LABELS.get(name, name)
        target = TARGETS.get(name, "")
        if not page.get("available"):
            status = page.get("status", "no such URL")
            lines.append((label, f"not available ({status})", target, "n/a"))
            continue
        lines.append(
            (
                f"{label} ({page['subject']})",
                f"{_ms(page)}, {page['queries']} queries",
                target,
                _verdict(targets[name]) if name in LIMITS_MS else "",
            )
        )
        if "pair" in page:
            first, second = page["pair"]
            lines.append(
                (
                    f"  queries: {first['subject']} vs {second['subject']}",
                    f"{first['queries']} vs {second['queries']}",
                    "constant",
                    _verdict(targets[f"{name}_queries_constant"]),
                )
            )
    pdf = figures["pdf"]
    if pdf.get("available"):
        lines.append(
            (
                f"bare WeasyPrint table ({pdf['people']} people, {pdf['person_months']:,} PersonMonth rows)",
                _ms(pdf["bare_table_spread"]),
                "",
                "",
            )
        )
        lines.append(
            (f"quarterly PDF, {pdf['agency']} ({pdf['people']} people)", _ms(pdf["pdf_spread"]), "", "")
        )
        lines.append(
            (
                "PDF ÷ bare table (medians, interleaved)",
                f"{pdf['pdf_ratio']:.2f}",
                TARGETS["pdf_ratio"],
                _verdict(targets["pdf_ratio"]),
            )
        )
    else:
        lines.append(("quarterly PDF", "not available yet (reports.pdf)", TARGETS["pdf_ratio"], "n/a"))
    widths = [max(len(row[i]) for row in lines) for i in range(4)]
    header = (
        f"KPI Portal benchmark · scale {figures['scale']}: {figures['people']:,} people, "
        f"{figures['agencies']} agencies, {figures['entries']:,} diary entries over "
        f"{figures['working_days']} working days, {figures.get('flags', 0):,} evidence flags, "
        f"{figures.get('assignments', 0):,} assignments · PostgreSQL {figures['machine']['postgresql']}, "
        f"{figures['machine']['cpus']} CPUs, load {figures['machine']['load_average_at_start']:.1f}"
        f" → {figures['machine']['load_average_at_end']:.1f}"
    )
    header += f"\njob and raw SQL both ran with: {settings}"
    rule = "-" * (sum(widths) + 6)
    body = [f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c:<{widths[2]}}  {d}" for a, b, c, d in lines]
    note = "Targets are set for the province-year scale; at a smaller scale they are indicative."
    return "\n".join([header, rule, *body, rule, note])


def main() -> int:
    database = _configure()
    from .scales import PAGES_TODAY, SCALES

    scale_name = os.environ.get("BENCH_SCALE") or "small"
    if scale_name not in SCALES:
        sys.exit(f"BENCH_SCALE must be one of {', '.join(SCALES)}; got {scale_name!r}")
    scale = SCALES[scale_name]
    reuse, keep = _flag("BENCH_REUSE"), _flag("BENCH_KEEP") or _flag("BENCH_REUSE")
    summary = _built_before(database, scale.name) if reuse else None
    if summary is None:
        log(f"creating database {database['NAME']}")
        _recreate(database)

    import django

    # WhiteNoise warns once that STATIC_ROOT was never collected: the bench serves no static file.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()
    from . import measure

    try:
        if summary is None:
            summary = _generate(scale)
        else:
            from django.core.management import call_command

            call_command("migrate", interactive=False, verbosity=0)  # the code may have moved on since
            log(f"reusing database {database['NAME']} ({summary['entries']:,} entries)")
        log("computing every agency's months (the dashboards and the PDF read them)")
        month_seconds = measure.compute_all_months(scale.period, log)
        log("monthly job against the raw GROUP BY, interleaved, same session settings")
        job = measure.job(scale.period[-1], scale.repeats, log)
        log("pages")
        pages = measure.pages(scale.period[-1], PAGES_TODAY, scale.repeats, log)
        log("quarterly PDF against a bare table")
        pdf = measure.pdf(scale.pdf_repeats, log)
        big = job["largest"]
        figures = {
            "scale": scale.name,
            "date": datetime.date.today().isoformat(),
            "machine": _machine(),
            **summary,
            "all_agencies_month_seconds": month_seconds,
            "job_seconds": big["job_seconds"],
            "raw_sql_seconds": big["raw_sql_seconds"],
            "job_ratio": big["job_ratio"],
            # What both the job and its baseline ran with (the job's SET LOCALs, then SHOW).
            "session_settings": job["settings"],
            "session_statements": job["session"],
            "job_queries": big["job_queries"],
            "job_queries_smallest": job["smallest"]["job_queries"],
            "job": job,
            "pages": pages,
            "pdf_seconds": pdf.get("pdf_seconds"),
            "bare_table_seconds": pdf["bare_table_seconds"],
            "pdf_ratio": pdf.get("pdf_ratio"),
            "pdf": pdf,
        }
        figures["targets"] = _targets(figures)
    finally:
        if not keep:
            _drop(database)
            log(f"dropped database {database['NAME']}")
    if _flag("BENCH_EXPLAIN"):
        for name, plan in job["explain"].items():
            print(f"\nEXPLAIN ANALYZE {name}:\n{plan}")
    print()
    print(_summary(figures))
    write_figures(figures)
    return 0


def write_figures(figures: dict) -> None:
    """The figures as JSON to the file ``BENCH_OUT`` names, if it is set."""
    out = os.environ.get("BENCH_OUT")
    if out:
        Path(out).write_text(json.dumps(figures, indent=2, default=str, ensure_ascii=False) + "\n")
        log(f"figures written to {out}")


if __name__ == "__main__":
    sys.exit(main())
