"""What the benchmark times: the monthly job, the pages and the quarterly PDF, each against a baseline.

Every figure has a minimum, median and maximum over several runs after one warm-up run; a job and
its baseline are timed in turn (job, baseline, job, baseline…) under the same session settings, so
that the machine's other work falls on both alike. Query counts come from ``CaptureQueriesContext``.
"Constant" is shown by measuring the same thing for two subjects of very different size (the largest
and the smallest agency, a day with many entries and one with few…): the counts must be equal.
"""

from __future__ import annotations

import datetime
import statistics
import time
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any
from unittest import mock

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connection, transaction
from django.db.models import Count, Min, Q
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.html import escape

from evidence.models import EntryFlag
from kpi_portal import periods, standards
from org.models import Agency, Membership, Role, RoleAssignment, User
from reports import services as report_services
from reports.models import PersonMonth
from worklog.models import DiaryEntry, EntryStatus

from .scales import MONTHS, PDF_AGENCY, QUARTER, TODAY

Log = Callable[[str], None]

# The baseline of the monthly job: the plainest aggregation of the same rows.
RAW_SQL = """
SELECT person_id, SUM(standard_minutes)
  FROM worklog_diaryentry
 WHERE agency_id = %s AND date BETWEEN %s AND %s AND status = 'approved'
 GROUP BY person_id
"""
FONT_DIR = "vendor/noto-sans-2.003"


def spread(times: list[float]) -> dict[str, float]:
    """Minimum, median and maximum of timed runs (seconds)."""
    return {"min": min(times), "median": statistics.median(times), "max": max(times)}


def _timed(function: Callable[[], Any]) -> tuple[float, int, Any, list[dict]]:
    with CaptureQueriesContext(connection) as captured:
        began = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - began
    return seconds, len(captured), result, captured.captured_queries


def _median_run(function: Callable[[], Any], repeats: int) -> tuple[float, int, Any]:
    """(median seconds, queries of the last run, result of the last run), after one warm-up run."""
    function()
    times = []
    result = None
    queries = 0
    for _ in range(repeats):
        seconds, queries, result, _captured = _timed(function)
        times.append(seconds)
    return statistics.median(times), queries, result


def interleaved(functions: dict[str, Callable[[], Any]], repeats: int) -> dict[str, dict]:
    """Each function warmed up once, then all of them in turn ``repeats`` times (a, b, a, b…):
    per function its times' spread, the queries and captured statements of its last run."""
    for function in functions.values():
        function()
    runs: dict[str, dict] = {name: {"times": []} for name in functions}
    for _ in range(repeats):
        for name, function in functions.items():
            seconds, queries, result, captured = _timed(function)
            runs[name]["times"].append(seconds)
            runs[name].update(queries=queries, result=result, captured=captured)
    for run in runs.values():
        run.update(spread(run["times"]))
    return runs


def _raw(sql: str, params: list, session: list[str]) -> Callable[[], list]:
    """The statement in a transaction of its own with ``session`` (the job's ``SET LOCAL``s) first."""

    def run() -> list:
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in session:
                cursor.execute(statement)
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def _session_settings(captured: list[dict]) -> list[str]:
    """The job's own ``SET LOCAL`` statements, read from its captured queries (so the baseline follows
    the job if its settings change)."""
    return [q["sql"] for q in captured if q["sql"].lstrip().upper().startswith("SET ")]


def _show(names: tuple[str, ...], session: list[str]) -> dict[str, str]:
    """The values of settings inside a transaction where ``session`` ran: what both statements ran with."""
    values = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in session:
            cursor.execute(statement)
        for name in names:
            cursor.execute(f"SHOW {name}")
            values[name] = cursor.fetchone()[0]
    return values


SESSION_SETTINGS = (
    "work_mem",
    "jit",
    "max_parallel_workers_per_gather",
    "random_page_cost",
    "shared_buffers",
)


def agencies_by_size() -> list[Agency]:
    """Agencies from the largest to the smallest headcount."""
    return list(Agency.objects.annotate(people=Count("units__memberships")).order_by("-people", "code"))


# The monthly job ----------------------------------------------------------------------------------


def compute_all_months(months: list[datetime.date], log: Log) -> dict[str, float]:
    """Every agency's months (the dashboards and the PDF read them); returns seconds per month."""
    seconds = {}
    for month in months:
        began = time.perf_counter()
        for agency in Agency.objects.order_by("code"):
            report_services.month_compute(agency=agency, month=month)
        seconds[f"{month:%Y-%m}"] = time.perf_counter() - began
        log(f"  every agency's {month:%m/%Y}: {seconds[f'{month:%Y-%m}']:.1f} s")
    return seconds


def _job_runs(agency: Agency, month: datetime.date, repeats: int) -> dict:
    """``month_compute`` and the raw GROUP BY in turn, under the same session settings (the job's own
    ``SET LOCAL``s, read from its captured queries); the job's slowest statement is its aggregation."""
    start, end = periods.month_bounds(month.year, month.month)
    _seconds, _queries, _result, captured = _timed(
        lambda: report_services.month_compute(agency=agency, month=month)
    )
    session = _session_settings(captured)
    runs = interleaved(
        {
            "job": lambda: report_services.month_compute(agency=agency, month=month),
            "raw": _raw(RAW_SQL, [agency.pk, start, end], session),
        },
        repeats,
    )
    job, raw = runs["job"], runs["raw"]
    statement = max(job["captured"], key=lambda q: float(q["time"]))
    return {
        "people": job["result"].people,
        "job_seconds": job["median"],
        "job_spread": {k: job[k] for k in ("min", "median", "max")},
        "job_queries": job["queries"],
        "job_sql_seconds": float(statement["time"]),
        "job_sql": statement["sql"],
        "raw_sql_seconds": raw["median"],
        "raw_spread": {k: raw[k] for k in ("min", "median", "max")},
        "session": session,
        "settings": _show(SESSION_SETTINGS, session),
        "job_ratio": job["median"] / raw["median"],
    }


def job(month: datetime.date, repeats: int, log: Log) -> dict:
    """``month_compute`` of the largest agency's last month against the raw GROUP BY of the same rows,
    interleaved and with the same session settings."""
    ordered = agencies_by_size()
    largest, smallest = ordered[0], ordered[-1]
    start, end = periods.month_bounds(month.year, month.month)
    figures: dict[str, Any] = {"month": f"{month:%Y-%m}"}
    for key, agency in (("largest", largest), ("smallest", smallest)):
        runs = _job_runs(agency, month, repeats)
        entries = DiaryEntry.objects.filter(agency=agency, date__range=(start, end)).count()
        figures[key] = {
            "agency": agency.code,
            "entries": entries,
            **{k: v for k, v in runs.items() if k != "job_sql"},
        }
        if key == "largest":
            figures["session"] = runs["session"]
            figures["settings"] = runs["settings"]
            figures["explain"] = {
                "job_sql": _explain(runs["job_sql"], None, runs["session"]),
                "raw_sql": _explain(RAW_SQL, [agency.pk, start, end], runs["session"]),
            }
        job_ms, raw_ms = runs["job_spread"], runs["raw_spread"]
        log(
            f"  {agency.code} ({runs['people']} people, {entries:,} entries): job"
            f" {_ms(job_ms)} in {runs['job_queries']} queries (its slowest statement"
            f" {runs['job_sql_seconds'] * 1000:.0f} ms), raw GROUP BY {_ms(raw_ms)}"
            f" [{'; '.join(runs['session']) or 'server defaults'}]"
        )
    return figures


def _ms(spread: dict[str, float]) -> str:
    """``median ms (min–max)``."""
    return f"{spread['median'] * 1000:.0f} ms ({spread['min'] * 1000:.0f}–{spread['max'] * 1000:.0f})"


def _explain(sql: str, params: list | None, session: list[str]) -> str:
    """EXPLAIN ANALYZE under the job's settings (``session``), as the statement really runs."""
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in session:
            cursor.execute(statement)
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


# Pages --------------------------------------------------------------------------------------------


def signed_in(user: User) -> Client:
    """A client signed in as ``user``, with the second factor given when the person needs one
    (leaders, HR, province scope: ``org.otp``), as after the code page."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from org import otp

    client = Client()
    client.force_login(user)
    if otp.people_needing_second_factor().filter(pk=user.pk).exists():
        device, _created = TOTPDevice.objects.get_or_create(
            user=user, name=otp.APP_DEVICE_NAME, defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def _page(user: User, path: str, repeats: int) -> dict:
    """Server time and queries of one GET, through the whole middleware stack."""
    try:
        resolve(path.split("?", 1)[0])
    except Resolver404:
        return {"available": False, "path": path}
    client = signed_in(user)
    client.get(path)
    times, queries, response = [], 0, None
    for _ in range(repeats):
        seconds, queries, response, _captured = _timed(lambda: client.get(path))
        times.append(seconds)
    assert response is not None
    return {
        "available": response.status_code == 200,
        "status": response.status_code,
        "path": path,
        "user": user.username,
        **spread(times),
        "seconds": statistics.median(times),
        "queries": queries,
        "bytes": len(response.content),
    }


def _day_subjects(agency: Agency, day: datetime.date) -> list[tuple[User, str, str]]:
    """The people of the agency with the most and the fewest entries on the day, both staff without a
    second factor to give (a leader's or HR's session reads their device too: another role, not size)."""
    from org import otp

    entries = DiaryEntry.objects.filter(agency=agency, date=day)
    if not settings.OTP_REQUIRED_FOR_ALL:
        entries = entries.exclude(person__in=otp.people_needing_second_factor())
    counts = list(entries.values("person_id").annotate(n=Count("pk")).order_by("-n", "person_id"))
    path = f"/diary/day/{day:%Y-%m-%d}/"
    return [
        (User.objects.get(pk=row["person_id"]), path, f"{row['n']} entries that day")
        for row in (counts[0], counts[-1])
    ]


def _week(subject: tuple[User, str, str], day: datetime.date) -> tuple[User, str, str]:
    user, _path, label = subject
    return user, f"/diary/week/{day:%Y-%m-%d}/", label.replace("that day", "on the week's last day")


def _waiting(reviewees) -> tuple[int, datetime.date | None]:
    waiting = DiaryEntry.objects.filter(person__in=reviewees, status=EntryStatus.SUBMITTED)
    return waiting.count(), waiting.aggregate(oldest=Min("date"))["oldest"]


def _waiting_label(prefix: str, reviewees) -> str:
    count, oldest = _waiting(reviewees)
    since = f", oldest {oldest:%d/%m/%Y}" if oldest else ""
    return f"{prefix}, {count:,} entries waiting{since}"


def _leader(agency: Agency) -> tuple[User, str, str]:
    """The agency's leader, who reviews its unit heads and deputies."""
    leader = Membership.objects.get(unit__agency=agency, unit__parent__isnull=True, is_head=True).person
    led = (
        Membership.objects.filter(unit__agency=agency)
        .filter(Q(is_head=True) | Q(unit__parent__isnull=True))
        .exclude(person=leader)
        .values("person_id")
    )
    return leader, "/review/", _waiting_label(f"{agency.code} leader", led)


def _busiest_unit(agency: Agency) -> int:
    return (
        DiaryEntry.objects.filter(agency=agency, status=EntryStatus.SUBMITTED, unit__parent__isnull=False)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "unit_id")[0]["unit_id"]
    )


def _unit_head(agency: Agency) -> tuple[User, str, str]:
    """The head of the agency's unit with the most entries waiting."""
    unit_id = _busiest_unit(agency)
    head = Membership.objects.get(unit_id=unit_id, is_head=True).person
    members = Membership.objects.filter(unit_id=unit_id).exclude(person=head).values("person_id")
    return head, "/review/", _waiting_label("unit head", members)


def _reader(agency: Agency, month: datetime.date) -> tuple[User, str, str]:
    """The agency's HR officer on the last month's dashboard."""
    reader = RoleAssignment.objects.filter(agency=agency, role=Role.HR)[0].person
    people = Membership.objects.filter(unit__agency=agency).count()
    path = f"/reports/agencies/{agency.code}/?month={month:%Y-%m}"
    return reader, path, f"{agency.code}, {people:,} people"


def _annual(agency: Agency, month: datetime.date) -> tuple[User, str, str]:
    reader, _path, label = _reader(agency, month)
    return reader, f"/review/agencies/{agency.code}/annual/?year={month.year}", label


def _me(agency: Agency) -> tuple[User, str, str]:
    """``/reports/me/`` of the busiest member of the agency's busiest unit (the month still going)."""
    unit_id = _busiest_unit(agency)
    person = (
        DiaryEntry.objects.filter(unit_id=unit_id)
        .values("person_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "person_id")[0]["person_id"]
    )
    people = Membership.objects.filter(unit__agency=agency).count()
    return User.objects.get(pk=person), "/reports/me/", f"member of {agency.code} ({people:,} people)"


def pages(month: datetime.date, today: datetime.datetime, repeats: int, log: Log) -> dict:
    """Each page's time for its main subject, and its queries for two subjects of the same role and
    very different size (the same number is expected)."""
    import time_machine

    ordered = agencies_by_size()
    largest, smallest = ordered[0], ordered[-1]
    day = DiaryEntry.objects.filter(agency=largest).latest("date").date
    busy, quiet = _day_subjects(largest, day)
    plan = {  # name: (the subject timed, the pair whose queries are compared, or None)
        "day": (busy, (busy, quiet)),
        "week": (_week(busy, day), (_week(busy, day), _week(quiet, day))),
        "queue": (_unit_head(largest), None),
        "leader_queue": (_leader(largest), (_leader(largest), _leader(smallest))),
        "dashboard": (_reader(largest, month), (_reader(largest, month), _reader(smallest, month))),
        "me": (_me(largest), (_me(largest), _me(smallest))),
        "annual": (_annual(largest, month), (_annual(largest, month), _annual(smallest, month))),
    }
    measured: dict[tuple[int, str], dict] = {}

    def measure(subject: tuple[User, str, str]) -> dict:
        user, path, label = subject
        if (user.pk, path) not in measured:
            measured[user.pk, path] = _page(user, path, repeats) | {"subject": label}
        return measured[user.pk, path]

    figures = {}
    keep = ("path", "user", "subject", "status", "seconds", "queries")
    with time_machine.travel(timezone.make_aware(today), tick=True):
        for name, (timed, pair) in plan.items():
            main = dict(measure(timed))
            figures[name] = main
            if not main["available"]:
                log(f"  {name}: not available ({main['path']}: status {main.get('status', 'no such URL')})")
                continue
            compared = ""
            if pair is not None:
                main["pair"] = [{k: measure(subject).get(k) for k in keep} for subject in pair]
                main["constant_queries"] = main["pair"][0]["queries"] == main["pair"][1]["queries"]
                compared = "; queries " + " vs ".join(
                    f"{p['queries']} ({p['subject']})" for p in main["pair"]
                )
            log(f"  {name}: {_ms(main)}, {main['queries']} queries ({main['subject']}){compared}")
        figures["approval"] = approval(largest, repeats, log)
    return figures


def approval(agency: Agency, repeats: int, log: Log) -> dict:
    """Server time of one approval click: the head of the agency's busiest unit approves one person's
    waiting day (all its entries) from the queue, through ``POST /review/approve/``. Each run approves
    another person-day; the month's figures are recomputed as the application does without a broker."""
    unit_id = _busiest_unit(agency)
    head = Membership.objects.get(unit_id=unit_id, is_head=True).person
    # Entries with an open flag are approved one by one with a note, not ticked in the queue's form.
    waiting = (
        DiaryEntry.objects.filter(unit_id=unit_id, status=EntryStatus.SUBMITTED, reviewed_by=None)
        .exclude(person=head)
        .exclude(pk__in=EntryFlag.objects.open().values("entry_id"))
        .order_by("date", "person_id", "pk")
        .values_list("person_id", "date", "pk", "version")
    )
    days: dict[tuple[int, datetime.date], list[tuple[int, int]]] = {}
    for person_id, date, pk, version in waiting:
        days.setdefault((person_id, date), []).append((pk, version))
    # The newest days: the queue's first page, the ones a reviewer clicks.
    chosen = list(days.values())[-(repeats + 1) :]
    client = signed_in(head)
    times, queries, statuses, approved = [], 0, [], 0
    for number, entries in enumerate(chosen):
        data: dict[str, str | list[str]] = {
            "entry": [str(pk) for pk, _v in entries],
            **{f"version-{pk}": str(v) for pk, v in entries},
        }
        seconds, queries, response, _captured = _timed(partial(client.post, "/review/approve/", data))
        statuses.append(response.status_code)
        if number:  # the first one is the warm-up
            times.append(seconds)
        approved += DiaryEntry.objects.filter(
            pk__in=[pk for pk, _v in entries], status=EntryStatus.APPROVED
        ).count()
    expected = sum(len(e) for e in chosen)
    if not times:
        return {"available": False, "status": "no waiting day to approve"}
    figures = {
        "available": approved == expected and all(status == 302 for status in statuses),
        "status": statuses[-1],
        "path": "/review/approve/",
        "user": head.username,
        "subject": f"{agency.code} unit head, one person-day ({expected // len(chosen)} entries)",
        **spread(times),
        "seconds": statistics.median(times),
        "queries": queries,
        "approved": approved,
        "expected": expected,
    }
    log(f"  approval click: {_ms(figures)}, {queries} queries ({approved} of {expected} entries approved)")
    return figures


# The quarterly PDF --------------------------------------------------------------------------------


def _font_url(name: str) -> str:
    found = finders.find(f"{FONT_DIR}/{name}")
    if found is None:
        raise FileNotFoundError(f"{FONT_DIR}/{name} is not among the static files")
    return Path(found).as_uri()


def bare_table_html(agency: Agency, months: list[datetime.date]) -> str:
    """The quarter's PersonMonth rows of the agency, one table row per person as the report's people
    table has them (working days, hours, hours a day, days above 8 h, each month's rating), and nothing
    else: no cover, charts, units, anomalies or running headers. Same font, same size."""
    people: dict[int, dict] = {}
    rows = (
        PersonMonth.objects.filter(agency=agency, month__in=months)
        .select_related("person", "unit")
        .order_by("month", "pk")
    )
    for row in rows:
        person = people.setdefault(
            row.person_id,
            {
                "name": row.person.full_name,
                "days": 0,
                "minutes": Decimal(0),
                "over": 0,
                "missing": 0,
                "ratings": {},
            },
        )
        person["unit"] = row.unit.code
        person["days"] += row.working_days
        person["minutes"] += row.approved_minutes
        person["over"] += row.days_over_eight
        person["missing"] += row.missing_evidence
        person["ratings"][row.month] = row.rating[:1].upper() or "–"
    lines = []
    for p in sorted(people.values(), key=lambda p: (p["unit"], p["name"])):
        per_day = standards.hours_per_day(p["minutes"], p["days"])
        ratings = "".join(f"<td>{p['ratings'].get(m, '')}</td>" for m in months)
        lines.append(
            f"<tr><td>{escape(p['name'])}</td><td>{escape(p['unit'])}</td><td class=n>{p['days']}</td>"
            f"<td class=n>{p['minutes'] / 60:.1f}</td><td class=n>{per_day:.2f}</td>"
            f"<td class=n>{standards.share_of_norm(per_day):.0f}</td><td class=n>{p['over']}</td>"
            f"<td class=n>{p['missing']}</td>{ratings}</tr>"
        )
    month_heads = "".join(f"<th>{m:%m/%Y}</th>" for m in months)
    return f"""<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
@font-face {{ font-family: "Noto Sans"; src: url("{_font_url("NotoSans-Regular.ttf")}"); }}
@font-face {{ font-family: "Noto Sans"; src: url("{_font_url("NotoSans-Bold.ttf")}"); font-weight: bold; }}
@page {{ size: A4; margin: 1.8cm 1.5cm 1.8cm 2cm; }}
body {{ font-family: "Noto Sans", sans-serif; font-size: 9.5pt; }}
table {{ width: 100%; border-collapse: collapse; font-size: 8pt; }}
th, td {{ border: 0.5pt solid #999; padding: 1.5pt 3pt; text-align: left; }}
.n {{ text-align: right; }}
</style></head><body><table><thead><tr><th>Họ và tên</th><th>Đơn vị</th><th>Ngày làm việc</th>
<th>Giờ chuẩn được duyệt</th><th>Giờ chuẩn/ngày</th><th>% của 8 giờ</th><th>Ngày trên 8 giờ</th>
<th>Thiếu minh chứng</th>{month_heads}</tr></thead><tbody>{"".join(lines)}</tbody></table></body></html>"""


def _render(html: str) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"file"})).write_pdf()


def _pdf_breakdown(agency: Agency) -> dict:
    """One more run of the report, split into its three parts: reading and adding up the figures
    (with the charts), the template, and WeasyPrint laying out and writing the pages."""
    from reports import charts
    from reports import pdf as report_pdf

    captured: dict[str, Any] = {}

    def capture(template, context, *args, **kwargs):
        captured.update(template=template, context=context)
        return b""

    began = time.perf_counter()
    with mock.patch.object(report_pdf, "render", capture):
        report_pdf.quarterly_pdf(agency, QUARTER)
    figures = time.perf_counter() - began
    began = time.perf_counter()
    context = {**captured["context"], "fonts": report_pdf.fonts(), "printed_on": timezone.localdate()}
    html = charts.for_print(render_to_string(captured["template"], context))  # as reports.pdf.render does
    template = time.perf_counter() - began
    began = time.perf_counter()
    document = _render(html)
    return {
        "figures_and_charts_seconds": figures,
        "template_seconds": template,
        "weasyprint_seconds": time.perf_counter() - began,
        "html_bytes": len(html),
        "pdf_bytes": len(document),
    }


def pdf(repeats: int, log: Log) -> dict:
    """``reports.pdf.quarterly_pdf`` of the 500-person agency against WeasyPrint on a bare table."""
    import time_machine

    agency = Agency.objects.get(code=PDF_AGENCY)
    people = Membership.objects.filter(unit__agency=agency).count()
    rows = PersonMonth.objects.filter(agency=agency, month__in=MONTHS).count()
    figures: dict[str, Any] = {"agency": agency.code, "people": people, "person_months": rows}
    with translation.override("vi"), time_machine.travel(timezone.make_aware(TODAY), tick=True):
        try:
            from reports.pdf import quarterly_pdf
        except ImportError as error:
            log(f"  quarterly PDF: not available yet ({error})")
            figures["available"] = False
            bare_seconds, bare_queries, bare = _median_run(
                lambda: _render(bare_table_html(agency, MONTHS)), repeats
            )
            figures.update(bare_table_seconds=bare_seconds, bare_table_queries=bare_queries)
            return figures
        runs = interleaved(
            {
                "bare": lambda: _render(bare_table_html(agency, MONTHS)),
                "pdf": lambda: quarterly_pdf(agency, QUARTER),
            },
            repeats,
        )
        bare, report = runs["bare"], runs["pdf"]
        figures.update(
            available=True,
            bare_table_seconds=bare["median"],
            bare_table_spread={k: bare[k] for k in ("min", "median", "max")},
            bare_table_queries=bare["queries"],
            bare_table_bytes=len(bare["result"]),
            pdf_seconds=report["median"],
            pdf_spread={k: report[k] for k in ("min", "median", "max")},
            pdf_queries=report["queries"],
            pdf_bytes=len(report["result"]),
            pdf_ratio=report["median"] / bare["median"],
        )
        log(
            f"  bare table of {people} people ({rows} PersonMonth rows): {_ms(bare)};"
            f" quarterly PDF: {_ms(report)} in {report['queries']} queries"
        )
        try:
            parts = _pdf_breakdown(agency)
        except Exception as error:  # a diagnostic only: the report's internals may have moved on
            figures["breakdown"] = {"error": repr(error)}
            log(f"  (no breakdown: {error!r})")
            return figures
    figures["breakdown"] = parts
    log(
        f"  of which figures and charts {parts['figures_and_charts_seconds']:.2f} s, template"
        f" {parts['template_seconds']:.2f} s, WeasyPrint {parts['weasyprint_seconds']:.2f} s"
    )
    return figures
