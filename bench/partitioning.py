"""``make bench-partitioning``: the diary table as it is against the same rows partitioned by month.

Issue 18 asks whether monthly range partitioning of ``worklog_diaryentry`` pays at a year of a
province. This builds, in a bench database kept by ``make bench BENCH_KEEP=1`` (``province-year``
is the scale it is meant for), a copy of the diary partitioned by month with the same indexes, then
replays against both tables, interleaved, the statements the application itself runs that read the
diary (captured from the monthly job, the unit head's and the leader's review queue and the agency
dashboard), each with the session settings it ran with. The copy is dropped at the end.

Environment: ``BENCH_DATABASE_URL`` as for ``make bench``; ``BENCH_OUT`` writes the figures as JSON.
"""

from __future__ import annotations

import json
import re
import sys
import time

from .run import _configure, log, write_figures

COPY = "bench_entries_by_month"
TABLE = "worklog_diaryentry"
# The table's name as the application's SQL writes it: quoted by the ORM, bare in PERSON_DAYS_SQL.
NAMED = re.compile(r'"worklog_diaryentry"|\bworklog_diaryentry\b')


def _months(cursor) -> list[tuple[str, str]]:
    cursor.execute(
        f"SELECT date_trunc('month', MIN(date))::date, date_trunc('month', MAX(date))::date FROM {TABLE}"
    )
    first, last = cursor.fetchone()
    bounds = []
    month = first
    while month <= last:
        following = month.replace(year=month.year + month.month // 12, month=month.month % 12 + 1)
        bounds.append((month.isoformat(), following.isoformat()))
        month = following
    return bounds


def build(cursor) -> dict:
    """The partitioned copy: one partition a month, the rows, the same indexes (the primary key
    becomes (id, date): a partitioned table's unique keys must hold the partition key), ANALYZE."""
    began = time.perf_counter()
    cursor.execute(f"DROP TABLE IF EXISTS {COPY}")
    cursor.execute(f"CREATE TABLE {COPY} (LIKE {TABLE} INCLUDING DEFAULTS) PARTITION BY RANGE (date)")
    months = _months(cursor)
    for start, end in months:
        cursor.execute(
            f"CREATE TABLE {COPY}_{start[:7].replace('-', '')} PARTITION OF {COPY} "
            f"FOR VALUES FROM ('{start}') TO ('{end}')"
        )
    # In the order the rows were written, as the original: by day, then as people wrote them.
    cursor.execute(f"INSERT INTO {COPY} SELECT * FROM {TABLE} ORDER BY id")
    loaded = time.perf_counter() - began
    cursor.execute(f"ALTER TABLE {COPY} ADD PRIMARY KEY (id, date)")
    cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [TABLE])
    indexes = 0
    for name, definition in cursor.fetchall():
        if definition.startswith("CREATE UNIQUE"):
            continue  # the primary key (above) and the one-entry-per-form key, which does not hold the date
        definition = definition.replace(f"INDEX {name} ON public.{TABLE}", f"INDEX {name}_m ON {COPY}")
        cursor.execute(definition)
        indexes += 1
    cursor.execute(f"ANALYZE {COPY}")
    return {
        "partitions": len(months),
        "indexes": indexes + 1,
        "load_seconds": round(loaded, 1),
        "build_seconds": round(time.perf_counter() - began, 1),
    }


def _size(cursor, table: str) -> int:
    cursor.execute(
        "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c WHERE c.oid = %s::regclass "
        "OR c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = %s::regclass)",
        [table, table],
    )
    return int(cursor.fetchone()[0])


def captured_workloads() -> dict[str, list[tuple[list[str], str]]]:
    """Per workload, the statements that read the diary, each with the ``SET`` statements that ran
    before it in its transaction (the job's ``SET LOCAL``s): captured from the application itself."""
    import time_machine
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from reports.services import month_compute

    from . import measure
    from .scales import PAGES_TODAY, SCALES

    largest = measure.agencies_by_size()[0]
    month = SCALES["province-year"].period[-1]
    subjects = {
        "unit head's queue": measure._unit_head(largest),
        "leader's queue": measure._leader(largest),
        "agency dashboard": measure._reader(largest, month),
    }
    workloads: dict[str, list[tuple[list[str], str]]] = {}

    def keep(name: str, captured: list[dict]) -> None:
        session: list[str] = []
        statements = []
        for query in captured:
            sql = query["sql"]
            if sql.lstrip().upper().startswith("SET "):
                session.append(sql)
            elif NAMED.search(sql) and sql.lstrip().upper().startswith(("SELECT", "WITH")):
                statements.append((list(session), sql))
        workloads[name] = statements

    with time_machine.travel(timezone.make_aware(PAGES_TODAY), tick=True):
        with CaptureQueriesContext(connection) as captured:
            month_compute(agency=largest, month=month)
        keep(f"monthly job, {largest.code} {month:%m/%Y}", captured.captured_queries)
        for name, (user, path, label) in subjects.items():
            client = measure.signed_in(user)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            keep(f"{name} ({label})", captured.captured_queries)
    return workloads


def _replay(statements: list[tuple[list[str], str]], table: str):
    from django.db import connection, transaction

    def run() -> None:
        for session, sql in statements:
            with transaction.atomic(), connection.cursor() as cursor:
                for statement in session:
                    cursor.execute(statement)
                cursor.execute(NAMED.sub(table, sql))
                cursor.fetchall()

    return run


def main() -> int:
    _configure()
    import warnings

    import django

    # WhiteNoise warns once that STATIC_ROOT was never collected: the bench serves no static file.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()
    from django.db import connection

    from . import measure

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_meta') IS NOT NULL")
        if not cursor.fetchone()[0]:
            sys.exit("no kept bench database: run `make bench BENCH_SCALE=province-year BENCH_KEEP=1` first")
        cursor.execute("SELECT scale, built FROM bench_meta")
        scale, built = cursor.fetchone()
    built = json.loads(built) if isinstance(built, str) else built
    log(f"bench database at scale {scale} ({built['entries']:,} entries)")
    workloads = captured_workloads()
    for name, statements in workloads.items():
        log(f"  {name}: {len(statements)} statements read the diary")
    log(f"building {COPY}: the diary partitioned by month, same rows and indexes")
    try:
        with connection.cursor() as cursor:
            built_copy = build(cursor)
            sizes = {"table": _size(cursor, TABLE), "partitioned": _size(cursor, COPY)}
        log(
            f"  {built_copy['partitions']} partitions, rows copied in {built_copy['load_seconds']} s, "
            f"built in {built_copy['build_seconds']} s"
        )
        figures: dict = {"scale": scale, "copy": built_copy, "bytes": sizes, "workloads": {}}
        repeats = 7
        for name, statements in workloads.items():
            if not statements:
                figures["workloads"][name] = {"statements": 0}
                log(f"  {name}: reads no diary row (its figures are stored), the same on both")
                continue
            runs = measure.interleaved(
                {"table": _replay(statements, TABLE), "partitioned": _replay(statements, COPY)}, repeats
            )
            table, parted = runs["table"], runs["partitioned"]
            ratio = parted["median"] / table["median"]
            figures["workloads"][name] = {
                "statements": len(statements),
                "table": measure.spread(table["times"]),
                "partitioned": measure.spread(parted["times"]),
                "ratio": round(ratio, 2),
            }
            log(f"  {name}: table {measure._ms(table)}, partitioned {measure._ms(parted)}, ratio {ratio:.2f}")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {COPY}")
    print()
    print(f"| what ({scale}, {built['entries']:,} entries) | table | by month | by month ÷ table |")
    print("|---|---|---|---|")
    for name, workload in figures["workloads"].items():
        if not workload["statements"]:
            print(f"| {name} | reads no diary row | reads no diary row | |")
            continue
        print(
            f"| {name} | {measure._ms(workload['table'])} | {measure._ms(workload['partitioned'])} "
            f"| {workload['ratio']:.2f} |"
        )
    print(
        f"| size with indexes | {sizes['table'] / 2**30:.2f} GiB | {sizes['partitioned'] / 2**30:.2f} GiB | |"
    )
    write_figures(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
