"""The KPI rules, in one place: every norm, threshold, formula and rounding the portal's figures follow.

Every app, template tag, PDF, export, API and SQL statement reads its numbers here; a number written
anywhere else is a bug. The module stays pure (``decimal``, ``django.db.models.Q`` and the equally pure
``kpi_portal.periods``; no model), so models, template tags, SQL and the benchmark can all import it.

Working time (SPEC.md "Working time"):

- ``DAILY_NORM_MINUTES``: 8 hours a working day (Khánh Hòa's norm, 40 hours a week Monday–Friday). A day
  above it is flagged for review; a month's expected workload on the capacity basis is days × 8 h.
- ``DAILY_CAP_DEFAULT_MINUTES``: 12 hours, the default of an agency's daily cap
  (``Agency.daily_cap_minutes``): a day's standard minutes above the cap are refused as a typing error. An
  agency may set it between the norm and 24 hours.
- ``ABOVE_HOURS_A_DAY``: 10 hours. A day above it, or a month whose average per working day is above it, is
  flagged by the evidence cross-check ("above", never "or more"); a report lists the open flags, and its
  hours anomalies start at the 8-hour norm (``ANOMALY_HOURS_A_DAY``, below).

Hours worked (SPEC.md "Hours worked: one definition everywhere"):

- days worked = the agency's working days − the person's approved leave on them (the leave register,
  ``org.leave``; a business trip is work, not leave);
- hours worked per day = approved standard minutes ÷ 60 ÷ days worked (``hours_per_day``); the person's own
  estimate is shown the same way, beside it, never added to it;
- share of the norm = hours per day ÷ 8 × 100 (``share_of_norm``);
- people are counted in buckets of hours a day: under 4, 4 to under 6, 6 to under 8, 8 and more
  (``HOUR_BUCKETS``, ``hours_bucket``);
- staffing need of a unit = approved standard hours ÷ (8 × working days); surplus = headcount − need
  (``staffing_need``, ``surplus``).

Evidence (SPEC.md "cross-checked against evidence"): an entry lacks its evidence when it is submitted or
approved, its task needs evidence (the task's evidence kind is not "none") and it cites none. The SQL of the
monthly job (``missing_evidence_sql``), the ORM (``missing_evidence_q``) and Python (``lacks_evidence``) are
all generated from the same constants; submitting refuses an entry ``without_evidence``, whatever its status.

Scoring (Decree 335/2025/NĐ-CP, in force 2026-01-01; SPEC.md "Rules from regulation"):

- a score out of ``TOTAL_POINTS`` = 100: ``TASK_POINTS`` (70, task results, Article 14) + ``GENERAL_POINTS``
  (30, general criteria, Article 12). The decree fixes this split; an agency's sub-weights inside each part
  are its own but must add up to their part (``split_is_legal``, ``points_add_up``);
- at most ``EXCELLENT_QUOTA_MAX_PERCENT`` (20 %) of those rated good may be rated excellent, per agency; an
  agency may set a lower quota, never a higher one (``quota_is_legal``);
- each major error takes 25 % of a product's quality points, each delay 25 % of its progress points
  (``DEDUCTION``, at most ``MAX_MARKS`` of each, Article 14); work logged after its assignment's due date
  counts one delay by itself;
- a leader's unit component counts 100 % when every rated member at least completed their tasks, 50 % when
  any did not (``UNIT_FACTOR_ALL_COMPLETED``, ``UNIT_FACTOR_ANY_NOT_COMPLETED``);
- ratings on the exact score: excellent ≥ 90, good 70 to under 90, completed 50 to under 70, not completed
  under 50, and not completed whatever the score after a disciplinary measure (``rating_for``).

Reporting (SPEC.md "Monthly cycle"): an agency sends a month's results to the Department of Home Affairs
by the 25th of the following month (``monthly_report_due``).

Anomalies to look into (issue 16: the province singles out "unusually high average working hours" and
staff who "declared more than actual work hours"). The monthly and quarterly reports list, each under
its threshold ("above", never "or more"):

- ``ANOMALY_HOURS_A_DAY``: 8 hours, the norm. A person whose approved standard hours per working day over
  the period are above it, with their average and their days above 8 h (a quarter lists a person once:
  for the quarter if the quarter is above, otherwise for each month that is);
- ``ANOMALY_UNIT_MEDIAN_FACTOR``: 1,25. A person above 125 % of the median hours a day of the people of
  their unit, in a unit of at least ``ANOMALY_UNIT_MEDIAN_MIN_PEOPLE`` (3) people with a median above 0;
- every entry of the period with an open evidence flag (neither cleared nor resolved);
- ``ANOMALY_ESTIMATE_FACTOR``: 1,5, and ``ANOMALY_ESTIMATE_MIN_EXCESS_MINUTES``: 8 hours. A person whose
  approved standard minutes are above 150 % of their own estimate of the same entries (approved entries
  carrying an estimate) and at least one working day (8 h) above it, so that a few minutes never count.

Rounding: every figure shown or exported (pages, PDFs, charts, CSV/XLSX, API, scores) is rounded half up to
two decimals unless the caller asks for other places (``rounded``); Django's ``floatformat`` rounds the
same way, so a template and an export never disagree. Nothing is rounded before a rating is decided: the
parts of a score, its total and the averages of a quarter or a year stay exact, the rating is decided on
them, and a score is rounded only to be shown or stored, toward its rating (``rounded_score``: 89,996 is
"good" and shows 89,99, never 90,00).
"""

from __future__ import annotations

import datetime
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.db.models import Q

from kpi_portal import periods

# Working time -------------------------------------------------------------------------------------

MINUTES_AN_HOUR = 60
DAILY_NORM_HOURS = Decimal(8)
DAILY_NORM_MINUTES = 8 * MINUTES_AN_HOUR
WORKING_DAYS_A_WEEK = 5
WEEKLY_NORM_HOURS = DAILY_NORM_HOURS * WORKING_DAYS_A_WEEK
DAILY_CAP_DEFAULT_MINUTES = 12 * MINUTES_AN_HOUR
ABOVE_HOURS_A_DAY = Decimal(10)


def above_daily_norm(minutes: Decimal | int) -> bool:
    """A day's standard minutes above the 8-hour norm: flagged for review, counted as a day above 8 h."""
    return minutes > DAILY_NORM_MINUTES


def above_ten_hours(hours_a_day: Decimal | int) -> bool:
    """A day, or a period's average per working day, above 10 standard hours: an anomaly to look at."""
    return hours_a_day > ABOVE_HOURS_A_DAY


def expected_minutes(working_days: int) -> int:
    """The workload of ``working_days`` at the norm (the capacity basis of the quantity ratio): the days
    the person actually worked, their approved leave taken out (``org.leave.days_worked``)."""
    return working_days * DAILY_NORM_MINUTES


# Hours worked ------------------------------------------------------------------------------------

# Lower limits (hours a day) of the buckets above the first: < 4, 4 to < 6, 6 to < 8, 8 and more.
HOUR_BUCKETS = (Decimal(4), Decimal(6), DAILY_NORM_HOURS)


def hours_per_day(minutes: Decimal | int, days: int) -> Decimal:
    """Standard minutes ÷ 60 ÷ days worked; 0 without a day."""
    if not days:
        return Decimal(0)
    return Decimal(minutes) / MINUTES_AN_HOUR / days


def share_of_norm(hours_a_day: Decimal) -> Decimal:
    """Hours a day as a percentage of the 8-hour norm."""
    return Decimal(hours_a_day) / DAILY_NORM_HOURS * 100


def hours_bucket(hours_a_day: Decimal) -> int:
    """0 under 4 h a day, 1 from 4 to under 6, 2 from 6 to under 8, 3 from 8."""
    return sum(1 for limit in HOUR_BUCKETS if hours_a_day >= limit)


def staffing_need(approved_minutes: Decimal | int, working_days: int) -> Decimal:
    """Approved standard hours ÷ (8 × working days): the posts the approved work fills; 0 without a day."""
    if not working_days:
        return Decimal(0)
    return Decimal(approved_minutes) / MINUTES_AN_HOUR / (DAILY_NORM_HOURS * working_days)


def surplus(headcount: int, need: Decimal) -> Decimal:
    """Headcount − staffing need: positive means more posts than the work needs."""
    return headcount - need


# Missing evidence --------------------------------------------------------------------------------

# worklog.EntryStatus and catalog.EvidenceKind values (a test keeps them equal to the models').
EVIDENCE_CHECKED_STATUSES = ("submitted", "approved")
NO_EVIDENCE_KIND = "none"
NO_EVIDENCE = ""


def without_evidence(*, evidence_kind: str, evidence_ref: str) -> bool:
    """An entry of a task that needs evidence, citing none (submitting it is refused)."""
    return evidence_kind != NO_EVIDENCE_KIND and evidence_ref == NO_EVIDENCE


def lacks_evidence(*, status: str, evidence_kind: str, evidence_ref: str) -> bool:
    """A submitted or approved entry ``without_evidence``: what the figures count as missing evidence."""
    return status in EVIDENCE_CHECKED_STATUSES and without_evidence(
        evidence_kind=evidence_kind, evidence_ref=evidence_ref
    )


def missing_evidence_q(prefix: str = "") -> Q:
    """``lacks_evidence`` for a diary-entry queryset; ``prefix`` is the path to the entry (``"entry__"``)."""
    cited_none = Q(**{f"{prefix}status__in": EVIDENCE_CHECKED_STATUSES, f"{prefix}evidence_ref": NO_EVIDENCE})
    return cited_none & ~Q(**{f"{prefix}task__evidence_kind": NO_EVIDENCE_KIND})


def missing_evidence_sql(entry: str = "e", task: str = "t") -> tuple[str, list[str]]:
    """``lacks_evidence`` as an SQL condition on the entry and task aliases, with its parameters (``%s``)."""
    placeholders = ", ".join(["%s"] * len(EVIDENCE_CHECKED_STATUSES))
    condition = (
        f"{entry}.status IN ({placeholders}) AND {entry}.evidence_ref = %s AND {task}.evidence_kind <> %s"
    )
    return condition, [*EVIDENCE_CHECKED_STATUSES, NO_EVIDENCE, NO_EVIDENCE_KIND]


# Scoring -----------------------------------------------------------------------------------------

TOTAL_POINTS = 100
TASK_POINTS = 70
GENERAL_POINTS = TOTAL_POINTS - TASK_POINTS
DEDUCTION = Decimal("0.25")
# Four deductions of 25 % take all of a product's quality (or progress) points.
MAX_MARKS = 4
UNIT_FACTOR_ALL_COMPLETED = Decimal(1)
UNIT_FACTOR_ANY_NOT_COMPLETED = Decimal("0.5")

# evaluation.Rating values (a test keeps them equal to the model's), best first, with their lowest score.
EXCELLENT, GOOD, COMPLETED, NOT_COMPLETED = "excellent", "good", "completed", "not_completed"
RATING_THRESHOLDS = ((Decimal(90), EXCELLENT), (Decimal(70), GOOD), (Decimal(50), COMPLETED))


EXCELLENT_QUOTA_MAX_PERCENT = 20


def points_add_up(*points: int) -> bool:
    """Task-result weights and general-criteria weights together make exactly 100 points."""
    return sum(points) == TOTAL_POINTS


def split_is_legal(task_points: int, general_points: int) -> bool:
    """The decree's split: 70 points of task results and 30 of general criteria, whatever the sub-weights."""
    return task_points == TASK_POINTS and general_points == GENERAL_POINTS


def quota_is_legal(percent: int) -> bool:
    """An excellent quota above 0 and at most 20 % of those rated good (an agency may go lower)."""
    return 0 < percent <= EXCELLENT_QUOTA_MAX_PERCENT


def rating_for(score: Decimal, *, disciplined: bool = False) -> str:
    """The rating of the exact score (never of a rounded display); "not completed" after a discipline."""
    if disciplined:
        return NOT_COMPLETED
    for threshold, rating in RATING_THRESHOLDS:
        if score >= threshold:
            return rating
    return NOT_COMPLETED


# Reporting ---------------------------------------------------------------------------------------

MONTHLY_REPORT_DUE_DAY = 25

# Anomalies a report lists for review (the module's docstring; reports.pdf.anomalies applies them).
ANOMALY_HOURS_A_DAY = DAILY_NORM_HOURS
ANOMALY_UNIT_MEDIAN_FACTOR = Decimal("1.25")
ANOMALY_UNIT_MEDIAN_MIN_PEOPLE = 3
ANOMALY_ESTIMATE_FACTOR = Decimal("1.5")
ANOMALY_ESTIMATE_MIN_EXCESS_MINUTES = DAILY_NORM_MINUTES


def monthly_report_due(month: datetime.date) -> datetime.date:
    """The day by which a month's results reach the Department of Home Affairs: the 25th of the next month."""
    return periods.next_month(month).replace(day=MONTHLY_REPORT_DUE_DAY)


# Rounding ----------------------------------------------------------------------------------------

DISPLAY_PLACES = 2
ROUNDING = ROUND_HALF_UP


def rounded(value: Decimal | int | float, places: int = DISPLAY_PLACES) -> Decimal:
    """The one rounding of a displayed figure: half up (8,385 → 8,39), to two decimals unless told."""
    # A float is taken as written (8.385), not as the binary fraction just below it.
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUNDING)


def rounded_score(score: Decimal, places: int = DISPLAY_PLACES) -> Decimal:
    """A score as shown or stored: half up, but never across a rating threshold (toward the exact rating).

    An exact 89,996 is "good"; half up would show 90,00, the threshold of "excellent", so it is cut to
    89,99 instead. Rounding half up never lowers a score below a threshold it reached, so only the cut
    upward needs this.
    """
    shown = rounded(score, places)
    if rating_for(shown) != rating_for(Decimal(score)):
        shown = Decimal(score).quantize(Decimal(1).scaleb(-places), rounding=ROUND_FLOOR)
    return shown


# Fairness before finalising (reports/fairness.py) ------------------------------------------------
# The fairness view (``/reports/agencies/<code>/fairness/``) compares each unit and each reviewer with
# the agency, and points at the ratings the hours do not explain. These numbers only decide what the
# page marks for a second look; they never change a score or a rating.

FAIRNESS_LOW_HOURS_QUANTILE = Decimal("0.25")
"""Rated excellent with standard hours a day *below* this quantile of the agency's people in the headcount
(the lower quartile, interpolated as PostgreSQL's ``percentile_cont``): listed as "excellent, few hours"."""

FAIRNESS_HIGH_HOURS_QUANTILE = Decimal("0.75")
"""Rated completed or not completed with standard hours a day *above* this quantile (the upper quartile):
listed as "modest rating, many hours"."""

FAIRNESS_MIN_SCORED = 3
"""A reviewer is marked more lenient or stricter than the agency only once they scored at least this many
people in the period: one or two scores say nothing about a tendency."""

FAIRNESS_GENERAL_GAP_POINTS = Decimal("1.5")
"""A reviewer whose mean general-criteria score (out of 30) is this many points or more above the agency's
is marked lenient; as many below, strict."""

FAIRNESS_EXCELLENT_SHARE_GAP_PERCENT = Decimal(15)
"""A reviewer whose share rated excellent is this many percentage points or more above the agency's share
is marked lenient; as many below, strict."""
