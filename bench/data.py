"""Synthetic province for the benchmark: organisation, catalogs, diaries, final evaluations.

The organisation and the catalogs are a few thousand rows made with ``bulk_create``. The diary
(millions of rows at province scale) is written by PostgreSQL itself, one ``INSERT … SELECT`` per
working day over the people × the day's entries, with every random choice taken from
``hashint8extended`` of the row's key: the same scale always gives the same rows, and rows land in
the table in the order they were written (by day, and within a day by the time of writing, every
agency mixed), as they would in production.

Entries are internally consistent: the stage is one of the agency's published catalog (version 1,
effective 1 January), ``standard_minutes = norm_minutes × quantity``, the agency and unit are the
person's membership, and the reviewer is the one the organisation gives. Each person has a steady
level of hours around the 5.5 h a day Khánh Hòa reported, and the days vary around it. Entries of
the last working days of the period are still submitted (the review queue), a few of the last day
are drafts, 1.5 % are returned with a reason, the rest approved. The first two months are rated
(final evaluations), the last one is not yet.
"""

from __future__ import annotations

import datetime
import io
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from catalog.models import CatalogVersion, Stage, StandardTask, VersionStatus
from demo.catalogs import catalog_tasks
from demo.organisation import FEMALE, MALE, SURNAMES
from evaluation.models import CriteriaVersion
from kpi_portal import periods, standards
from org import calendar
from org.models import Agency, Membership, Province, Role, RoleAssignment, Unit, User

from .scales import MEMBERSHIP_START, PERIOD_END, Scale

PENDING_DAYS = 5
BOARD_SIZE = 4
UNIT_SIZE = 15
# Stages whose norm fits in a working day: longer ones would need quantities like 0.03.
LONGEST_NORM = standards.DAILY_NORM_MINUTES
LEAVE_RATE = 0.05
RETURN_RATE = 0.015
DRAFT_RATE = 0.1
MISSING_EVIDENCE_RATE = 0.03
# Entries left waiting for weeks and months, by person (one entry of each old waiting day), besides
# the last member of every unit, who always does (so every reviewer's queue has its long window).
OLD_WAITING_RATE = 0.03
OLD_WAITING_HEAD_RATE = 0.5
# The demo's share of entries with an evidence flag (demo/evidence.py: about 2 %). Flags on approved
# entries are half cleared by the reviewer with a reason, half raised by a later recheck and still open.
FLAG_RATE = 0.02
# Work assigned by the unit heads (and agency leaders): one assignment per person and month.
ASSIGNMENTS_PER_MONTH = 1

UNIT_NAMES = [
    "Văn phòng",
    "Thanh tra",
    "Phòng Kế hoạch – Tài chính",
    "Phòng Tổ chức cán bộ",
    "Phòng Quản lý chuyên ngành",
    "Phòng Pháp chế",
    "Phòng Tổng hợp",
    "Phòng Chuyển đổi số",
]
DESCRIPTIONS = [
    "Soạn thảo và trình ký văn bản",
    "Thẩm định hồ sơ theo quy định",
    "Tổng hợp số liệu báo cáo định kỳ",
    "Họp giao ban và triển khai nhiệm vụ",
    "Trả lời kiến nghị của đơn vị",
    "Rà soát, chỉnh sửa dự thảo",
    "Kiểm tra hồ sơ tại cơ sở",
    "Cập nhật dữ liệu lên hệ thống",
]


@dataclass
class PlannedPerson:
    user: User
    unit: Unit
    is_head: bool
    a_share: float  # share of the day's entries that are group A (leadership) tasks
    lingers: bool = False  # leaves entries waiting for weeks and months (one person in each unit)
    reviewer: User | None = None  # who approves the person's entries
    finaliser: User | None = None  # who finalises the person's evaluations (never the person)


@dataclass
class Built:
    """What the measurements need to know about the generated data."""

    people: int = 0
    entries: int = 0
    working_days: int = 0
    flags: int = 0
    assignments: int = 0
    agencies: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


Log = Callable[[str], None]


def build(scale: Scale, log: Log) -> Built:
    """Generate everything; returns the counts and how long each step took."""
    built = Built()
    began = time.perf_counter()
    with transaction.atomic():
        planned = _organisation(scale, log)
        _catalogs(log)
    built.seconds["organisation"] = time.perf_counter() - began
    built.people = len(planned)
    built.agencies = [code for code, _name, _size in scale.agencies]

    began = time.perf_counter()
    days = calendar.working_days(None, scale.period[0], PERIOD_END)
    built.working_days = len(days)
    built.entries = _diaries(planned, days, log)
    built.seconds["diaries"] = time.perf_counter() - began

    began = time.perf_counter()
    built.flags = _flags(log)
    built.assignments = _assignments(scale.period, log)
    built.seconds["flags_and_assignments"] = time.perf_counter() - began

    began = time.perf_counter()
    _evaluations(scale.rated_months, log)
    built.seconds["evaluations"] = time.perf_counter() - began
    return built


# Organisation -------------------------------------------------------------------------------------


def _organisation(scale: Scale, log: Log) -> list[PlannedPerson]:
    rng = random.Random(f"bench-{scale.name}")
    province = Province.objects.create(code="KHA", name="Tỉnh Khánh Hòa")
    agencies = Agency.objects.bulk_create(
        Agency(province=province, code=code, name=f"{name} tỉnh Khánh Hòa")
        for code, name, _ in scale.agencies
    )
    roots = Unit.objects.bulk_create(Unit(agency=a, code="BGD", name="Ban Giám đốc") for a in agencies)
    sizes: dict[int, list[int]] = {}  # agency id -> people per unit, the board first
    children = []
    for agency, root, (_code, _name, people) in zip(agencies, roots, scale.agencies, strict=True):
        board = BOARD_SIZE if people >= 20 else 2
        rest = people - board
        count = max(1, round(rest / UNIT_SIZE))
        unit_sizes = [rest // count + (1 if i < rest % count else 0) for i in range(count)]
        sizes[agency.pk] = [board, *unit_sizes]
        for i in range(count):
            label = UNIT_NAMES[i % len(UNIT_NAMES)]
            name = label if i < len(UNIT_NAMES) else f"{label} {i // len(UNIT_NAMES) + 1}"
            children.append(Unit(agency=agency, parent=root, code=f"P{i + 1:02d}", name=name))
    children = Unit.objects.bulk_create(children)
    units_of: dict[int, list[Unit]] = {a.pk: [r] for a, r in zip(agencies, roots, strict=True)}
    for unit in children:
        units_of[unit.agency_id].append(unit)

    password = make_password(None)  # unusable: the benchmark logs people in with force_login
    planned: list[PlannedPerson] = []
    for agency in agencies:
        number = 0
        for place, (unit, size) in enumerate(zip(units_of[agency.pk], sizes[agency.pk], strict=True)):
            for i in range(size):
                number += 1
                username = f"{agency.code.lower()}.{number:05d}"
                user = User(
                    username=username,
                    full_name=_full_name(rng),
                    position=_position(place, i),
                    email=f"{username}@bench.kpi.local",
                    password=password,
                )
                is_head = i == 0
                a_share = (0.85 if is_head else 0.7) if place == 0 else (0.5 if is_head else 0.0)
                planned.append(PlannedPerson(user, unit, is_head, a_share, lingers=i == size - 1 and i > 0))
    User.objects.bulk_create([p.user for p in planned], batch_size=2000)
    Membership.objects.bulk_create(
        (Membership(person=p.user, unit=p.unit, is_head=p.is_head, start=MEMBERSHIP_START) for p in planned),
        batch_size=2000,
    )
    # Nobody inside an agency reviews its head: the province reviewer does (``Role.PROVINCE_REVIEWER``).
    province_reviewer = User.objects.create(
        username="kha.province",
        full_name=_full_name(rng),
        position="Phó Chánh Văn phòng UBND tỉnh",
        email="kha.province@bench.kpi.local",
        password=password,
    )
    _reviewers(planned, province_reviewer)
    RoleAssignment.objects.bulk_create(
        [
            *_roles(planned),
            RoleAssignment(person=province_reviewer, role=Role.PROVINCE_REVIEWER, province=province),
        ],
        batch_size=2000,
    )
    log(f"  {len(agencies)} agencies, {len(roots) + len(children)} units, {len(planned)} people")
    return planned


def _full_name(rng: random.Random) -> str:
    middle, given = rng.choice(MALE if rng.random() < 0.5 else FEMALE)
    return f"{rng.choice(SURNAMES)} {middle} {given}"


def _position(place: int, i: int) -> str:
    if place == 0:
        return "Giám đốc" if i == 0 else "Phó Giám đốc"
    if i == 0:
        return "Trưởng phòng"
    return "Phó Trưởng phòng" if i == 1 else ("Chuyên viên chính" if i % 3 == 0 else "Chuyên viên")


def _reviewers(planned: list[PlannedPerson], province_reviewer: User) -> None:
    """The line of the organisation: members → unit head → agency leader (the board's head) → the
    province reviewer."""
    head_of = {p.unit.pk: p.user for p in planned if p.is_head}
    leader_of = {p.unit.agency_id: p.user for p in planned if p.is_head and p.unit.parent_id is None}
    deputy_of = {
        p.unit.agency_id: p.user for p in reversed(planned) if not p.is_head and p.unit.parent_id is None
    }
    for p in planned:
        leader = leader_of[p.unit.agency_id]
        if p.unit.parent_id is None:
            p.reviewer = province_reviewer if p.is_head else leader
        else:
            p.reviewer = leader if p.is_head else head_of[p.unit.pk]
        p.finaliser = leader if p.user != leader else deputy_of.get(p.unit.agency_id)


def _roles(planned: list[PlannedPerson]):
    """The board are agency leaders; the second person of the first unit (the office) is HR."""
    hr_given: set[int] = set()
    for p in planned:
        agency_id = p.unit.agency_id
        if p.unit.parent_id is None:
            yield RoleAssignment(person=p.user, role=Role.LEADER, agency_id=agency_id)
        elif not p.is_head and agency_id not in hr_given:
            hr_given.add(agency_id)
            yield RoleAssignment(person=p.user, role=Role.HR, agency_id=agency_id)


# Catalogs -----------------------------------------------------------------------------------------


def _catalogs(log: Log) -> None:
    """The demo's 50 standard tasks of the Department of Finance (its sample file), published for every
    agency."""
    demo = catalog_tasks("STC")
    agencies = list(Agency.objects.order_by("pk"))
    now = timezone.now()
    versions = CatalogVersion.objects.bulk_create(
        CatalogVersion(
            agency=agency,
            number=1,
            status=VersionStatus.PUBLISHED,
            effective_from=MEMBERSHIP_START,
            published_at=now,
            note="Danh mục dùng cho benchmark",
        )
        for agency in agencies
    )
    tasks = StandardTask.objects.bulk_create(
        (
            StandardTask(
                version=version,
                agency_id=version.agency_id,
                code=t.code,
                name=t.name,
                group=t.group,
                description=t.description,
                output_unit=t.output_unit,
                evidence_kind=t.evidence_kind,
            )
            for version in versions
            for t in demo
        ),
        batch_size=2000,
    )
    stages = {t.code: t.stages for t in demo}
    Stage.objects.bulk_create(
        (
            Stage(task=task, order=s.order, name=s.name, norm_minutes=s.norm_minutes)
            for task in tasks
            for s in stages[task.code]
        ),
        batch_size=5000,
    )
    log(f"  catalogs: {len(versions)} published versions, {len(tasks)} standard tasks")


# Diaries ------------------------------------------------------------------------------------------


def _u(key: str, seed: int) -> str:
    """SQL for a uniform number in [0, 1) drawn from ``key`` (a bigint expression) and ``seed``."""
    return f"((hashint8extended({key}, {seed}) & 4294967295)::float8 / 4294967296.0)"


def _text_array(values: list[str]) -> str:
    return "ARRAY[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


PERSON_DAY = "(p.person_id * 100000 + d.day_no * 100)"
ENTRY = "(p.person_id * 100000 + d.day_no * 100 + k)"

# One working day of everyone's diary. Parameters: the date, whether the day is still pending
# review, whether it is the period's last working day. A NOT NULL column added to DiaryEntry needs
# its value here (Django sets defaults in Python, not in the table).
DAY_SQL = f"""
INSERT INTO worklog_diaryentry (
    person_id, agency_id, unit_id, date, task_id, stage_id, quantity, norm_minutes, standard_minutes,
    estimate_minutes, description, evidence_ref, is_overtime, status, return_reason, submitted_at,
    reviewed_at, reviewed_by_id, major_errors, delays, objective_cause, objective_cause_by_id, version,
    created_at, updated_at, exclusion_reason)
SELECT x.person_id, x.agency_id, x.unit_id, x.date, s.task_id, s.stage_id, q.quantity, s.norm,
       s.norm * q.quantity,
       CASE WHEN {_u("x.key", 11)} < 0.85
            THEN LEAST(1440, round(s.norm * q.quantity * (0.7 + 0.6 * {_u("x.key", 12)})::numeric))::int END,
       ({_text_array(DESCRIPTIONS)})[1 + floor({_u("x.key", 10)} * {len(DESCRIPTIONS)})::int],
       CASE s.evidence_kind
            WHEN 'document' THEN CASE WHEN {_u("x.key", 8)} < {MISSING_EVIDENCE_RATE} THEN ''
                                      ELSE (100 + mod(x.key, 9000))::text || '/' || x.agency_code END
            WHEN 'meeting' THEN 'Lịch công tác ' || to_char(x.date, 'DD/MM/YYYY')
            ELSE '' END,
       false, x.status,
       CASE WHEN x.status = 'returned' THEN 'Bổ sung số văn bản làm minh chứng.' ELSE '' END,
       CASE WHEN x.status <> 'draft' THEN x.created_at + interval '1 hour' END,
       CASE WHEN x.status IN ('approved', 'returned') THEN x.created_at + interval '17 hours' END,
       CASE WHEN x.status IN ('approved', 'returned') THEN x.reviewer_id END,
       CASE WHEN x.status = 'approved' AND {_u("x.key", 13)} < 0.02 THEN 1 ELSE 0 END,
       CASE WHEN x.status = 'approved' AND {_u("x.key", 14)} < 0.03 THEN 1 ELSE 0 END,
       '', NULL,
       CASE x.status WHEN 'draft' THEN 1 WHEN 'submitted' THEN 2 ELSE 3 END,
       x.created_at,
       x.created_at + CASE x.status WHEN 'draft' THEN interval '0' WHEN 'submitted' THEN interval '1 hour'
                                    ELSE interval '17 hours' END,
       ''
  FROM (
    -- The day's minutes are shared among its entries in proportion to random weights, so a day never
    -- goes beyond the level the person works at (and never beyond the agency's 12-hour cap).
    SELECT y.*, y.day_minutes * y.weight / sum(y.weight) OVER (PARTITION BY y.person_id) AS target
      FROM (
        SELECT p.person_id, p.agency_id, p.agency_code, p.unit_id, p.reviewer_id, d.date,
               {ENTRY} AS key,
               {_u(ENTRY, 5)} < p.a_share AS pool_a,
               {_u(ENTRY, 6)} AS pick,
               p.level_minutes * (0.75 + 0.5 * {_u(PERSON_DAY, 3)}) AS day_minutes,
               0.4 + {_u(ENTRY, 4)} AS weight,
               CASE WHEN %(pending)s THEN
                        CASE WHEN %(last)s AND {_u(ENTRY, 7)} < {DRAFT_RATE} THEN 'draft' ELSE 'submitted' END
                    -- Some people leave a day unreviewed for weeks or months (the queue's long window).
                    WHEN %(old)s AND k = 1 AND {_u("p.person_id", 30)} < p.old_waiting THEN 'submitted'
                    WHEN {_u(ENTRY, 9)} < {RETURN_RATE} THEN 'returned'
                    ELSE 'approved' END AS status,
               (d.date + time '07:30' + {_u(ENTRY, 15)} * interval '9 hours 30 minutes')
                   AT TIME ZONE 'Asia/Ho_Chi_Minh' AS created_at
          FROM bench_day d
          CROSS JOIN bench_person p
          CROSS JOIN LATERAL (SELECT 3 + floor({_u(PERSON_DAY, 1)} * 6)::int AS count) n
          CROSS JOIN LATERAL generate_series(1, n.count) AS k
         WHERE d.date = %(date)s AND {_u(PERSON_DAY, 2)} >= {LEAVE_RATE}
      ) y
  ) x
  JOIN bench_pool c ON c.agency_id = x.agency_id AND c.pool_a = x.pool_a
  JOIN bench_stage s ON s.agency_id = x.agency_id AND s.pool_a = x.pool_a AND s.idx = floor(x.pick * c.n)::int
  CROSS JOIN LATERAL (SELECT LEAST(100, GREATEST(0.1, round((x.target / s.norm)::numeric, 1))) AS quantity) q
 -- In the order people write them: a day's rows of one agency are spread over the day's pages.
 ORDER BY x.created_at
"""


def _diaries(planned: list[PlannedPerson], days: list[datetime.date], log: Log) -> int:
    rng = random.Random("bench-levels")
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_person (person_id bigint PRIMARY KEY, agency_id bigint,"
            " agency_code text, unit_id bigint, reviewer_id bigint, finaliser_id bigint,"
            " level_minutes float8, a_share float8, old_waiting float8)"
        )
        rows = io.StringIO()
        for p in planned:
            # A steady personal level: 3.3–8.3 h a day, 5.8 on average (5.5 once leave is counted).
            level = (3.3 + 2.5 * (rng.random() + rng.random())) * 60
            reviewer = str(p.reviewer.pk) if p.reviewer else r"\N"
            finaliser = str(p.finaliser.pk) if p.finaliser else r"\N"
            # Agency heads wait longest: one reviewer for the whole province's heads.
            agency_head = p.is_head and p.unit.parent_id is None
            old_waiting = 1.0 if p.lingers else OLD_WAITING_HEAD_RATE if agency_head else OLD_WAITING_RATE
            rows.write(
                f"{p.user.pk}\t{p.unit.agency_id}\t{p.unit.agency.code}\t{p.unit.pk}\t{reviewer}\t"
                f"{finaliser}\t{level:.2f}\t{p.a_share}\t{old_waiting}\n"
            )
        rows.seek(0)
        cursor.copy_from(rows, "bench_person")
        cursor.execute("CREATE TEMP TABLE bench_day (day_no int, date date PRIMARY KEY)")
        cursor.executemany("INSERT INTO bench_day VALUES (%s, %s)", list(enumerate(days, start=1)))
        cursor.execute(
            f"""
            CREATE TEMP TABLE bench_stage AS
            SELECT t.agency_id, t.group = 'A' AS pool_a,
                   (row_number() OVER (PARTITION BY t.agency_id, t.group = 'A' ORDER BY t.code, s."order")
                    - 1)::int AS idx,
                   t.id AS task_id, s.id AS stage_id, s.norm_minutes AS norm, t.evidence_kind
              FROM catalog_stage s JOIN catalog_standardtask t ON t.id = s.task_id
             WHERE s.norm_minutes <= {LONGEST_NORM}
            """
        )
        cursor.execute(
            "CREATE TEMP TABLE bench_pool AS SELECT agency_id, pool_a, count(*) AS n FROM bench_stage"
            " GROUP BY agency_id, pool_a"
        )
        cursor.execute("CREATE INDEX ON bench_stage (agency_id, pool_a, idx)")
        cursor.execute("ANALYZE bench_person; ANALYZE bench_day; ANALYZE bench_stage; ANALYZE bench_pool")

        indexes = _drop_indexes(cursor, "worklog_diaryentry")
        fast = _without_triggers(cursor)
        pending_from = days[-PENDING_DAYS]
        old_days = _old_waiting_days(days)
        total = 0
        began = time.perf_counter()
        for number, day in enumerate(days, start=1):
            cursor.execute(
                DAY_SQL,
                {
                    "date": day,
                    "pending": day >= pending_from,
                    "last": day == days[-1],
                    "old": day in old_days,
                },
            )
            total += cursor.rowcount
            if number == len(days) or days[number].month != day.month:
                log(f"  diaries to {day:%d/%m/%Y}: {total:,} entries ({time.perf_counter() - began:.0f} s)")
        if fast:
            cursor.execute("SET session_replication_role = DEFAULT")
        began = time.perf_counter()
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for definition in indexes:
            cursor.execute(definition)
        log(f"  {len(indexes)} indexes rebuilt ({time.perf_counter() - began:.0f} s)")
    return total


def _old_waiting_days(days: list[datetime.date]) -> set[datetime.date]:
    """The days some entries are still waiting on: the period's first working day, and those 3, 6 and
    15 working days before the last week (the oldest is months old at the end of the period)."""
    recent = [days[-PENDING_DAYS - n] for n in (3, 6, 15) if len(days) > PENDING_DAYS + n]
    return {days[0], *recent}


def _drop_indexes(cursor, table: str) -> list[str]:
    """Drop the table's plain indexes (loading is much faster without); returns how to recreate them.

    Indexes behind a constraint (the primary key, unique constraints) stay.
    """
    cursor.execute(
        """
        SELECT i.relname, pg_get_indexdef(i.oid)
          FROM pg_index x
          JOIN pg_class i ON i.oid = x.indexrelid
          JOIN pg_class t ON t.oid = x.indrelid
         WHERE t.relname = %s AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
        """,
        [table],
    )
    found = cursor.fetchall()
    for name, _definition in found:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in found]


def _without_triggers(cursor) -> bool:
    """Skip the foreign-key triggers while loading (the rows are consistent by construction).

    Needs a superuser, as the default ``postgres`` of the bench is; otherwise loading is only slower.
    """
    try:
        with transaction.atomic():
            cursor.execute("SET session_replication_role = replica")
    except DatabaseError:  # a missing privilege only costs time
        return False
    return True


# Evidence flags and assignments -------------------------------------------------------------------

FLAGS_SQL = f"""
INSERT INTO evidence_entryflag (
    entry_id, agency_id, kind, detail, raised_at, justification, justified_at, cleared_at, cleared_by_id,
    cleared_reason, resolved_at)
SELECT e.id, e.agency_id, f.kind,
       CASE f.kind WHEN 'document_missing' THEN 'Không tìm thấy văn bản ' || e.evidence_ref
                   ELSE 'Không có trong lịch công tác ngày ' || to_char(e.date, 'DD/MM/YYYY') END,
       e.created_at + interval '2 hours', '', NULL,
       CASE WHEN e.status = 'approved' AND {_u("e.id", 41)} < 0.5 THEN e.reviewed_at END,
       CASE WHEN e.status = 'approved' AND {_u("e.id", 41)} < 0.5 THEN e.reviewed_by_id END,
       CASE WHEN e.status = 'approved' AND {_u("e.id", 41)} < 0.5 THEN 'Đã đối chiếu với hồ sơ gốc.'
            ELSE '' END,
       NULL
  FROM worklog_diaryentry e
  CROSS JOIN LATERAL (
    SELECT CASE WHEN e.evidence_ref <> '' AND e.evidence_ref NOT LIKE 'Lịch%%' THEN 'document_missing'
                ELSE 'not_assigned' END AS kind
  ) f
 WHERE e.status IN ('submitted', 'approved') AND {_u("e.id", 40)} < {FLAG_RATE}
"""

ASSIGNMENTS_SQL = f"""
INSERT INTO assignments_assignment (
    agency_id, unit_id, person_id, task_id, stage_id, quantity, norm_minutes, standard_minutes, due_date,
    note, source, recurring_id, status, assigned_by_id, assigned_at, cancel_reason, version, client_token)
SELECT p.agency_id, p.unit_id, p.person_id, s.task_id, s.stage_id, q.quantity, s.norm, s.norm * q.quantity,
       %(due)s, '', 'Kế hoạch công tác tháng ' || to_char(%(month)s::date, 'MM/YYYY'), NULL, 'open',
       p.reviewer_id, %(at)s, '', 1, NULL
  FROM bench_person p
  CROSS JOIN generate_series(1, {ASSIGNMENTS_PER_MONTH}) AS g(n)
  JOIN bench_pool c ON c.agency_id = p.agency_id AND NOT c.pool_a
  JOIN bench_stage s ON s.agency_id = p.agency_id AND NOT s.pool_a
   AND s.idx = floor({_u("p.person_id * 1000 + g.n", 42)} * c.n)::int
  CROSS JOIN LATERAL (SELECT (1 + floor({_u("p.person_id * 1000 + g.n", 43)} * 5))::numeric AS quantity) q
 WHERE p.reviewer_id IS NOT NULL
"""


def _flags(log: Log) -> int:
    """The evidence cross-check's flags on about 2 % of the submitted and approved entries."""
    with connection.cursor() as cursor:
        cursor.execute(FLAGS_SQL)
        count = cursor.rowcount
        cursor.execute("ANALYZE evidence_entryflag")
    log(f"  {count:,} evidence flags")
    return count


def _assignments(months: list[datetime.date], log: Log) -> int:
    """Work assigned each month by the person's reviewer, due at the month's end."""
    count = 0
    with connection.cursor() as cursor:
        for month in months:
            first, last = periods.month_bounds(month.year, month.month)
            at = timezone.make_aware(datetime.datetime.combine(first, datetime.time(8)))
            cursor.execute(ASSIGNMENTS_SQL, {"month": first, "due": last, "at": at})
            count += cursor.rowcount
        cursor.execute("ANALYZE assignments_assignment")
    log(f"  {count:,} assignments")
    return count


# Final evaluations --------------------------------------------------------------------------------

EVALUATIONS_SQL = f"""
INSERT INTO evaluation_monthlyevaluation (
    person_id, agency_id, unit_id, month, is_unit_head, status, self_comment, supervisor_comment,
    working_days, approved_minutes, quantity_score, quality_score, progress_score, unit_score, task_score,
    general_score, total_score, rating, disciplined, self_assessed_at, scored_at, finalised_at, version,
    created_at, updated_at, finalised_by_id, scored_by_id, criteria_version_id, task_basis, expected_minutes)
SELECT a.person_id, a.agency_id, a.unit_id, %(month)s, a.is_head, 'final', '', '',
       %(working_days)s, a.approved, s.quantity, s.quality, s.progress, NULL,
       s.quantity + s.quality + s.progress, s.general, s.quantity + s.quality + s.progress + s.general,
       CASE WHEN s.quantity + s.quality + s.progress + s.general >= %(excellent)s THEN 'excellent'
            WHEN s.quantity + s.quality + s.progress + s.general >= %(good)s THEN 'good'
            WHEN s.quantity + s.quality + s.progress + s.general >= %(completed)s THEN 'completed'
            ELSE 'not_completed' END,
       false, %(at)s, %(at)s, %(at)s, 4, %(at)s, %(at)s, a.finaliser_id, a.reviewer_id, %(criteria_version)s,
       'capacity', %(working_days)s * {standards.DAILY_NORM_MINUTES}
  FROM (
    SELECT m.person_id, u.agency_id, m.unit_id, m.is_head, p.finaliser_id, p.reviewer_id,
           COALESCE(SUM(e.standard_minutes) FILTER (WHERE e.status = 'approved'), 0) AS approved
      FROM org_membership m
      JOIN org_unit u ON u.id = m.unit_id
      JOIN bench_person p ON p.person_id = m.person_id
      LEFT JOIN worklog_diaryentry e ON e.person_id = m.person_id AND e.date BETWEEN %(month)s AND %(end)s
     GROUP BY m.person_id, u.agency_id, m.unit_id, m.is_head, p.finaliser_id, p.reviewer_id
  ) a
  CROSS JOIN LATERAL (
    SELECT round((30 * LEAST(1, a.approved / (%(working_days)s * %(norm)s)))::numeric, 2) AS quantity,
           round((18 + 2 * {_u("a.person_id", 20)})::numeric, 2) AS quality,
           round((18 + 2 * {_u("a.person_id", 21)})::numeric, 2) AS progress,
           round((22 + 8 * {_u("a.person_id", 22)})::numeric, 2) AS general
  ) s
"""


def _evaluations(rated_months: list[datetime.date], log: Log) -> None:
    """Final evaluations of the rated months, scored from the approved minutes (set-based)."""
    with connection.cursor() as cursor:
        count = 0
        for month in rated_months:
            first, last = periods.month_bounds(month.year, month.month)
            at = timezone.make_aware(
                datetime.datetime.combine(last + datetime.timedelta(days=5), datetime.time(9))
            )
            cursor.execute(
                EVALUATIONS_SQL,
                {
                    "month": first,
                    "end": last,
                    "working_days": len(calendar.working_days(None, first, last)),
                    "at": at,
                    "norm": standards.DAILY_NORM_MINUTES,
                    "criteria_version": CriteriaVersion.objects.in_force_on(first).pk,
                    # The thresholds of standards.rating_for, applied by the database.
                    **{rating: threshold for threshold, rating in standards.RATING_THRESHOLDS},
                },
            )
            count += cursor.rowcount
    log(f"  {count:,} final evaluations for {', '.join(f'{m:%m/%Y}' for m in rated_months)}")


def vacuum_analyze(log: Log) -> None:
    """Leave the tables as a steady production database would be: vacuumed (hint bits set) and analysed."""
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) worklog_diaryentry")
        cursor.execute("VACUUM (ANALYZE) evaluation_monthlyevaluation")
        cursor.execute("ANALYZE")
    log(f"  VACUUM ANALYZE ({time.perf_counter() - began:.0f} s)")
