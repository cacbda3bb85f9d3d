"""Computing an agency's month: set-based, idempotent, all at once.

The diary is aggregated by the database in one statement (per person and day, then per
person), never entry by entry in Python; the rows are then replaced in one transaction,
so a second run gives the same rows and a run that fails half way leaves the previous
figures in place.
"""

from __future__ import annotations

import datetime
import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation.models import EvaluationStatus, MonthlyEvaluation, Rating
from evidence.models import EntryFlag
from kpi_portal import periods, standards
from kpi_portal.text import short_date
from org import calendar
from org import selectors as org_selectors
from org.audit import record
from org.leave import leave_days
from org.models import Agency, Membership, StaleMonth, StalePerson, User

from .models import MonthRun, MonthSent, PersonMonth, UnitMonth

MISSING_EVIDENCE_SQL, MISSING_EVIDENCE_PARAMS = standards.missing_evidence_sql("e", "t")
# Open evidence flags (``EntryFlag.objects.open()``) are counted inside the one aggregation: the agency's
# open flags (their own index, ``flag_open_by_agency_idx``) joined by hash to the month's entries,
# rather than a probe per entry or a second query.
FLAGS_TABLE = EntryFlag._meta.db_table

# Per person and day first (for the days above the norm), then per person. Plain SQL that runs on
# PostgreSQL and SQLite alike; ``_person_days_params`` gives its parameters, the KPI rules included.
PERSON_DAYS_SQL = f"""
WITH days AS (
    SELECT e.person_id,
           e.date,
           MAX(e.unit_id) AS unit_id,
           SUM(CASE WHEN e.status = 'approved' THEN e.standard_minutes ELSE 0 END) AS approved,
           SUM(CASE WHEN e.status = 'approved' THEN COALESCE(e.estimate_minutes, 0) ELSE 0 END) AS estimate,
           SUM(CASE WHEN e.status = 'submitted' THEN 1 ELSE 0 END) AS pending,
           SUM(CASE WHEN e.status = 'returned' THEN 1 ELSE 0 END) AS returned,
           SUM(CASE WHEN {MISSING_EVIDENCE_SQL} THEN 1 ELSE 0 END) AS missing,
           SUM(COALESCE(f.flags, 0)) AS flags
      FROM worklog_diaryentry e
      JOIN catalog_standardtask t ON t.id = e.task_id
      LEFT JOIN (SELECT entry_id, COUNT(*) AS flags FROM {FLAGS_TABLE}
                  WHERE agency_id = %s AND cleared_at IS NULL AND resolved_at IS NULL
                  GROUP BY entry_id) f ON f.entry_id = e.id
     WHERE e.agency_id = %s AND e.date BETWEEN %s AND %s {{people}}
     GROUP BY e.person_id, e.date
)
SELECT person_id,
       MAX(unit_id),
       COUNT(*),
       SUM(approved),
       SUM(estimate),
       SUM(pending),
       SUM(returned),
       SUM(CASE WHEN approved > %s THEN 1 ELSE 0 END),
       SUM(missing),
       SUM(flags)
  FROM days
 GROUP BY person_id
"""


@dataclass(frozen=True)
class MonthResult:
    agency: Agency
    month: datetime.date
    people: int
    duration_ms: int


def _person_days_params(agency: Agency, start: datetime.date, end: datetime.date) -> list:
    """``PERSON_DAYS_SQL``'s parameters in their order: missing evidence, the agency of the flags, agency
    and month, the daily norm."""
    return [*MISSING_EVIDENCE_PARAMS, agency.pk, agency.pk, start, end, standards.DAILY_NORM_MINUTES]


def person_months(
    agency: Agency,
    month: datetime.date,
    people: set[int] | None = None,
    *,
    month_days: list[datetime.date] | None = None,
) -> list[PersonMonth]:
    """The month's figures of everyone in the agency, or of ``people`` only (unsaved rows): a fixed
    number of queries. ``month_days``: the month's working days, when the caller has them already.

    A person's ``working_days`` are the days they actually worked: the agency's working days less
    their approved leave (``org.leave``), the divisor of their hours a day."""
    if people is not None and not people:
        return []
    start, end = periods.month_bounds(month.year, month.month)
    if month_days is None:
        month_days = calendar.working_days(agency, start, end)
    working = set(month_days)
    working_days = len(working)
    memberships = Membership.objects.active_on(end).filter(unit__agency=agency)
    finals = MonthlyEvaluation.objects.filter(agency=agency, month=start, status=EvaluationStatus.FINAL)
    sql, params = PERSON_DAYS_SQL.format(people=""), _person_days_params(agency, start, end)
    if people is not None:
        memberships = memberships.filter(person_id__in=people)
        finals = finals.filter(person_id__in=people)
        ids = sorted(people)
        sql = PERSON_DAYS_SQL.format(people=f"AND e.person_id IN ({', '.join(['%s'] * len(ids))})")
        before_norm = len(params) - 1  # the person filter comes before the daily norm's parameter
        params = [*params[:before_norm], *ids, *params[before_norm:]]
    members = dict(memberships.values_list("person_id", "unit_id"))
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A large agency's month sorts in memory rather than on disk, and is not worth JIT compiling.
            cursor.execute("SET LOCAL work_mem = '64MB'; SET LOCAL jit = off")
        cursor.execute(sql, params)
        aggregates = {row[0]: row[1:] for row in cursor.fetchall()}
    scores = {
        person: (score, rating)
        for person, score, rating in finals.values_list("person_id", "total_score", "rating")
    }
    # Hours a day divide by the days each person actually worked: the working days minus their leave.
    leave = leave_days(set(members) | set(aggregates), start, end, known={agency.pk: month_days})
    rows = []
    for person_id in sorted(set(members) | set(aggregates)):
        on_leave = leave.get(person_id, set()) & working
        unit_id, days, approved, estimate, pending, returned, over_eight, missing, flags = aggregates.get(
            person_id, (None, 0, 0, 0, 0, 0, 0, 0, 0)
        )
        score, rating = scores.get(person_id, (None, ""))
        rows.append(
            PersonMonth(
                agency=agency,
                month=start,
                person_id=person_id,
                unit_id=members.get(person_id, unit_id),
                in_headcount=person_id in members,
                working_days=working_days - len(on_leave),
                days_with_entries=days,
                approved_minutes=standards.rounded(approved or 0),
                estimate_minutes=int(estimate or 0),
                pending_count=int(pending or 0),
                returned_count=int(returned or 0),
                days_over_eight=int(over_eight or 0),
                missing_evidence=int(missing or 0),
                open_flags=int(flags or 0),
                score=score,
                rating=rating,
            )
        )
    return rows


def unit_months(
    agency: Agency, month: datetime.date, people: list[PersonMonth], working_days: int
) -> list[UnitMonth]:
    """Roll the people's figures up per unit and for the whole agency (``unit`` empty)."""
    groups: dict[int | None, list[PersonMonth]] = {None: []}
    groups = defaultdict(list, groups)
    for row in people:
        groups[row.unit_id].append(row)
        groups[None].append(row)
    rollups = []
    for unit_id, rows in groups.items():
        counted = [r for r in rows if r.in_headcount]
        buckets = [0, 0, 0, 0]
        for row in counted:
            buckets[standards.hours_bucket(row.hours_per_day)] += 1
        ratings: defaultdict[str, int] = defaultdict(int)
        for row in counted:
            ratings[row.rating or "unrated"] += 1
        rollups.append(
            UnitMonth(
                agency=agency,
                month=month,
                unit_id=unit_id,
                working_days=working_days,
                headcount=len(counted),
                person_days=sum(r.working_days for r in counted),
                approved_minutes=sum((r.approved_minutes for r in rows), Decimal(0)),
                under_four=buckets[0],
                four_to_six=buckets[1],
                six_to_eight=buckets[2],
                eight_or_more=buckets[3],
                excellent=ratings[Rating.EXCELLENT],
                good=ratings[Rating.GOOD],
                completed=ratings[Rating.COMPLETED],
                not_completed=ratings[Rating.NOT_COMPLETED],
                unrated=ratings["unrated"],
            )
        )
    return rollups


def lock_month(agency_id: int, month: datetime.date) -> None:
    """Take the agency-month's computation lock until the transaction ends.

    Two computations of the same month would both delete and reinsert its rows; the second waits
    here, then reads the inputs afresh, so the last one to finish always saw the newest data.
    PostgreSQL: a transaction-level advisory lock keyed (agency, month). SQLite writes one
    transaction at a time already.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [agency_id, month.year * 12 + month.month])


def month_compute(*, agency: Agency, month: datetime.date, people: set[int] | None = None) -> MonthResult:
    """Compute and store an agency's month, replacing what was there (one computation at a time).

    With ``people``, only their rows are redone and the unit and agency totals are rolled up again
    from the stored rows: the same figures as a whole computation (a test compares them), for the
    cost of a few people's diaries instead of the agency's.
    """
    began = time.monotonic()
    month = periods.month_start(month)
    with transaction.atomic():
        lock_month(agency.pk, month)
        month_days = calendar.working_days(agency, *periods.month_bounds(month.year, month.month))
        working_days = len(month_days)
        rows = person_months(agency, month, people, month_days=month_days)
        stored = PersonMonth.objects.filter(agency=agency, month=month)
        (stored if people is None else stored.filter(person_id__in=people)).delete()
        PersonMonth.objects.bulk_create(rows, batch_size=2000)
        everyone = rows if people is None else list(stored)
        UnitMonth.objects.filter(agency=agency, month=month).delete()
        UnitMonth.objects.bulk_create(unit_months(agency, month, everyone, working_days))
        duration_ms = int((time.monotonic() - began) * 1000)
        MonthRun.objects.update_or_create(
            agency=agency,
            month=month,
            defaults={
                "working_days": working_days,
                "people": len(everyone),
                "duration_ms": duration_ms,
            },
        )
    return MonthResult(agency, month, len(everyone), duration_ms)


def stale_month_recompute(*, agency_id: int, month: datetime.date) -> MonthResult | None:
    """Recompute a month marked stale (``org.figures``) if its figures exist, then clear the mark.

    Months never computed are left to the monthly job (they have no figures to correct). The mark
    is removed only if nobody marked the month again while this ran (its generation is still the
    one read here; a change still uncommitted holds the mark's row, and the delete waits for it),
    so a change that lands during a recompute is never lost: its mark stays for the next run.
    """
    mark = StaleMonth.objects.filter(agency_id=agency_id, month=month).values("generation", "whole").first()
    if mark is None:
        return None
    stale_people = StalePerson.objects.filter(agency_id=agency_id, month=month)
    people = None if mark["whole"] else set(stale_people.values_list("person_id", flat=True))
    result = None
    if MonthRun.objects.filter(agency_id=agency_id, month=month).exists():
        result = month_compute(agency=Agency.objects.get(pk=agency_id), month=month, people=people)
    with transaction.atomic():
        # The people go with their mark, in one transaction: a change arriving meanwhile waits for it
        # and marks its month afresh.
        if StaleMonth.objects.filter(
            agency_id=agency_id, month=month, generation=mark["generation"]
        ).delete()[0]:
            stale_people.delete()
    return result


def stale_months() -> list[tuple[int, datetime.date]]:
    """Every agency-month still marked stale, oldest mark first (the sweeper's work list)."""
    return list(StaleMonth.objects.order_by("marked_at").values_list("agency_id", "month"))


@transaction.atomic
def month_mark_sent(*, agency: Agency, month: datetime.date, by: User) -> MonthSent:
    """HR marks an agency-month's results as sent to the Department of Home Affairs: once, for a
    closed month only (an open month's figures still change), recorded in the audit trail."""
    if not by.has_perm("reports.mark_month_sent", agency):
        raise PermissionDenied(_("Only the agency's HR marks its results as sent."))
    month = periods.month_start(month)
    if not calendar.month_closed(agency, month, org_selectors.today()):
        raise ValidationError(
            _("%(month)s is still open: its results are sent once its last working day has passed.")
            % {"month": f"{month:%m/%Y}"}
        )
    sent, created = MonthSent.objects.get_or_create(agency=agency, month=month, defaults={"sent_by": by})
    if not created:
        raise ValidationError(
            _("%(month)s was already marked sent on %(day)s by %(name)s.")
            % {
                "month": f"{month:%m/%Y}",
                "day": short_date(timezone.localdate(sent.sent_at)),
                "name": sent.sent_by.get_full_name(),
            }
        )
    record(actor=by, action="report.sent", target=sent, agency=agency, person=None, after={"month": month})
    return sent
