"""What the benchmark times: the monthly job, three pages and the quarterly PDF, each against a baseline.

Every figure is the median of several runs after one warm-up run; query counts come from
``CaptureQueriesContext``. "Constant" is shown by measuring the same thing for two subjects of very
different size (the largest and the smallest agency, a day with many entries and one with few…): the
counts must be equal.
"""

from __future__ import annotations

import datetime
import statistics
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

from django.contrib.staticfiles import finders
from django.db import connection
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.html import escape

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


def _median_run(function: Callable[[], Any], repeats: int) -> tuple[float, int, Any]:
    """(median seconds, queries of the last run, result of the last run), after one warm-up run."""
    function()
    times = []
    result = None
    queries = 0
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            result = function()
            times.append(time.perf_counter() - began)
        queries = len(captured)
    return statistics.median(times), queries, result


def _raw(sql: str, params: list) -> Callable[[], list]:
    def run() -> list:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def agencies_by_size() -> list[Agency]:
    """Agencies from the largest to the smallest headcount."""
    return list(Agency.objects.annotate(people=Count("units__memberships")).order_by("-people", "code"))


# The monthly job ----------------------------------------------------------------------------------


def compute_all_months(log: Log) -> dict[str, float]:
    """Every agency's three months (the dashboards and the PDF read them); returns seconds per month."""
    seconds = {}
    for month in MONTHS:
        began = time.perf_counter()
        for agency in Agency.objects.order_by("code"):
            report_services.month_compute(agency=agency, month=month)
        seconds[f"{month:%Y-%m}"] = time.perf_counter() - began
        log(f"  every agency's {month:%m/%Y}: {seconds[f'{month:%Y-%m}']:.1f} s")
    return seconds


def _job_runs(agency: Agency, month: datetime.date, repeats: int) -> dict:
    """Median time and queries of ``month_compute``, and of its slowest statement (the aggregation),
    read from the captured queries so that the bench follows the job's SQL as it changes."""
    report_services.month_compute(agency=agency, month=month)
    totals, slowest = [], []
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            result = report_services.month_compute(agency=agency, month=month)
            totals.append(time.perf_counter() - began)
        statement = max(captured.captured_queries, key=lambda q: float(q["time"]))
        slowest.append(float(statement["time"]))
    return {
        "people": result.people,
        "job_seconds": statistics.median(totals),
        "job_queries": len(captured),
        "job_sql_seconds": statistics.median(slowest),
        "job_sql": statement["sql"],
    }


def job(repeats: int, log: Log) -> dict:
    """``month_compute`` of the largest agency's last month against the raw GROUP BY of the same rows."""
    ordered = agencies_by_size()
    largest, smallest = ordered[0], ordered[-1]
    month = MONTHS[-1]
    start, end = periods.month_bounds(month.year, month.month)
    figures: dict[str, Any] = {"month": f"{month:%Y-%m}"}
    for key, agency in (("largest", largest), ("smallest", smallest)):
        runs = _job_runs(agency, month, repeats)
        raw_seconds, _queries, _rows = _median_run(_raw(RAW_SQL, [agency.pk, start, end]), repeats)
        entries = DiaryEntry.objects.filter(agency=agency, date__range=(start, end)).count()
        figures[key] = {
            "agency": agency.code,
            "entries": entries,
            **{k: v for k, v in runs.items() if k != "job_sql"},
            "raw_sql_seconds": raw_seconds,
            "job_ratio": runs["job_seconds"] / raw_seconds,
        }
        if key == "largest":
            figures["explain"] = {
                "job_sql": _explain(runs["job_sql"], None),
                "raw_sql": _explain(RAW_SQL, [agency.pk, start, end]),
            }
        log(
            f"  {agency.code} ({runs['people']} people, {entries:,} entries): job"
            f" {runs['job_seconds'] * 1000:.0f} ms in {runs['job_queries']} queries (its slowest statement"
            f" {runs['job_sql_seconds'] * 1000:.0f} ms), raw GROUP BY {raw_seconds * 1000:.0f} ms"
        )
    return figures


def _explain(sql: str, params: list | None) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


# Pages --------------------------------------------------------------------------------------------


def _page(user: User, path: str, repeats: int) -> dict:
    """Server time and queries of one GET, through the whole middleware stack."""
    try:
        resolve(path.split("?", 1)[0])
    except Resolver404:
        return {"available": False, "path": path}
    client = Client()
    client.force_login(user)
    seconds, queries, response = _median_run(lambda: client.get(path), repeats)
    return {
        "available": response.status_code == 200,
        "status": response.status_code,
        "path": path,
        "user": user.username,
        "seconds": seconds,
        "queries": queries,
        "bytes": len(response.content),
    }


def _day_subjects(agency: Agency, day: datetime.date) -> list[tuple[User, str, str]]:
    """The people of the agency with the most and the fewest entries on the day."""
    counts = list(
        DiaryEntry.objects.filter(agency=agency, date=day)
        .values("person_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "person_id")
    )
    path = f"/diary/day/{day:%Y-%m-%d}/"
    return [
        (User.objects.get(pk=row["person_id"]), path, f"{row['n']} entries that day")
        for row in (counts[0], counts[-1])
    ]


def _waiting(reviewees) -> int:
    return DiaryEntry.objects.filter(person__in=reviewees, status=EntryStatus.SUBMITTED).count()


def _leader(agency: Agency) -> tuple[User, str, str]:
    """The agency's leader, who reviews its unit heads and deputies."""
    leader = Membership.objects.get(unit__agency=agency, unit__parent__isnull=True, is_head=True).person
    led = (
        Membership.objects.filter(unit__agency=agency)
        .filter(Q(is_head=True) | Q(unit__parent__isnull=True))
        .exclude(person=leader)
        .values("person_id")
    )
    return leader, "/review/", f"{agency.code} leader, {_waiting(led):,} entries waiting"


def _unit_head(agency: Agency) -> tuple[User, str, str]:
    """The head of the agency's unit with the most entries waiting."""
    unit_id = (
        DiaryEntry.objects.filter(agency=agency, status=EntryStatus.SUBMITTED, unit__parent__isnull=False)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "unit_id")[0]["unit_id"]
    )
    head = Membership.objects.get(unit_id=unit_id, is_head=True).person
    members = Membership.objects.filter(unit_id=unit_id).exclude(person=head).values("person_id")
    return head, "/review/", f"unit head, {_waiting(members):,} entries waiting"


def _reader(agency: Agency) -> tuple[User, str, str]:
    """The agency's HR officer on the last month's dashboard."""
    reader = RoleAssignment.objects.filter(agency=agency, role=Role.HR)[0].person
    people = Membership.objects.filter(unit__agency=agency).count()
    path = f"/reports/agencies/{agency.code}/?month={MONTHS[-1]:%Y-%m}"
    return reader, path, f"{agency.code}, {people:,} people"


def pages(repeats: int, log: Log) -> dict:
    """Each page's time for its main subject, and its queries for two subjects of the same role and
    very different size (the same number is expected)."""
    import time_machine

    ordered = agencies_by_size()
    largest, smallest = ordered[0], ordered[-1]
    day = DiaryEntry.objects.filter(agency=largest).latest("date").date
    busy, quiet = _day_subjects(largest, day)
    plan = {  # name: (the subject timed, the pair whose queries are compared)
        "day": (busy, (busy, quiet)),
        "queue": (_unit_head(largest), (_leader(largest), _leader(smallest))),
        "dashboard": (_reader(largest), (_reader(largest), _reader(smallest))),
    }
    measured: dict[tuple[int, str], dict] = {}

    def measure(subject: tuple[User, str, str]) -> dict:
        user, path, label = subject
        if (user.pk, path) not in measured:
            measured[user.pk, path] = _page(user, path, repeats) | {"subject": label}
        return measured[user.pk, path]

    figures = {}
    keep = ("path", "user", "subject", "status", "seconds", "queries")
    with time_machine.travel(timezone.make_aware(TODAY), tick=True):
        for name, (timed, pair) in plan.items():
            main = dict(measure(timed))
            figures[name] = main
            if not main["available"]:
                log(f"  {name}: not available ({main['path']}: status {main.get('status', 'no such URL')})")
                continue
            main["pair"] = [{k: measure(subject).get(k) for k in keep} for subject in pair]
            main["constant_queries"] = main["pair"][0]["queries"] == main["pair"][1]["queries"]
            compared = " vs ".join(f"{p['queries']} ({p['subject']})" for p in main["pair"])
            log(
                f"  {name}: {main['seconds'] * 1000:.0f} ms, {main['queries']} queries ({main['subject']});"
                f" queries {compared}"
            )
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
    html = render_to_string(captured["template"], context)
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
        bare_seconds, bare_queries, bare = _median_run(
            lambda: _render(bare_table_html(agency, MONTHS)), repeats
        )
        figures.update(
            bare_table_seconds=bare_seconds, bare_table_queries=bare_queries, bare_table_bytes=len(bare)
        )
        log(f"  bare table of {people} people ({rows} PersonMonth rows): {bare_seconds:.2f} s")
        try:
            from reports.pdf import quarterly_pdf
        except ImportError as error:
            log(f"  quarterly PDF: not available yet ({error})")
            figures["available"] = False
            return figures
        pdf_seconds, pdf_queries, document = _median_run(lambda: quarterly_pdf(agency, QUARTER), repeats)
        figures.update(
            available=True,
            pdf_seconds=pdf_seconds,
            pdf_queries=pdf_queries,
            pdf_bytes=len(document),
            pdf_ratio=pdf_seconds / bare_seconds,
        )
        log(f"  quarterly PDF: {pdf_seconds:.2f} s in {pdf_queries} queries ({len(document):,} bytes)")
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
