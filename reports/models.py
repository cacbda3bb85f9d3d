"""Monthly figures, materialised per person and per unit, and the PDF report jobs.

Hours worked follow the one definition of SPEC.md (``kpi_portal.standards``): approved
standard minutes ÷ 60 ÷ working days. A month of an agency is computed by
``reports.services.month_compute`` and replaced as a whole, in one transaction: readers
see the previous figures or the new ones, never half of each.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from evaluation.models import Rating
from kpi_portal import periods, standards
from org.models import Agency, Unit, User

HOURS = {"max_digits": 7, "decimal_places": 2}


class HoursWorked:
    """SPEC's one definition of hours worked, for anything with approved minutes over working days.

    Approved standard hours per working day = approved standard minutes ÷ 60 ÷ working days; the
    person's own estimate is shown the same way, beside it, never added to it.
    """

    approved_minutes: Decimal
    estimate_minutes: int
    working_days: int

    @property
    def approved_hours(self) -> Decimal:
        return self.approved_minutes / 60

    @property
    def hours_per_day(self) -> Decimal:
        return standards.hours_per_day(self.approved_minutes, self.working_days)

    @property
    def share_of_eight(self) -> Decimal:
        return standards.share_of_norm(self.hours_per_day)

    @property
    def estimate_hours_per_day(self) -> Decimal:
        return standards.hours_per_day(self.estimate_minutes, self.working_days)


class MonthRun(models.Model):
    """When an agency's month was last computed, and how big it was."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+", verbose_name=_("agency"))
    month = models.DateField(_("month"))
    working_days = models.PositiveSmallIntegerField(_("working days"))
    people = models.PositiveIntegerField(_("people"))
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        ordering = ["-month", "agency"]
        verbose_name = _("computed month")
        verbose_name_plural = _("computed months")
        constraints = [
            models.UniqueConstraint(fields=["agency", "month"], name="month_run_once"),
            models.CheckConstraint(condition=Q(month__day=1), name="month_run_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.agency.code} {self.month:%m/%Y}"


class PersonMonth(HoursWorked, models.Model):
    """A person's month in an agency: the figures every report and dashboard reads."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+", verbose_name=_("agency"))
    month = models.DateField(_("month"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    # The unit at the end of the month (or of the person's last entry, for someone who left).
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("unit"))
    in_headcount = models.BooleanField(_("counted in the headcount"), default=True)
    working_days = models.PositiveSmallIntegerField(_("working days"))
    days_with_entries = models.PositiveSmallIntegerField(_("days with entries"), default=0)
    approved_minutes = models.DecimalField(_("approved standard minutes"), max_digits=10, decimal_places=2)
    estimate_minutes = models.PositiveIntegerField(_("own estimate (minutes)"), default=0)
    pending_count = models.PositiveIntegerField(_("entries waiting for review"), default=0)
    returned_count = models.PositiveIntegerField(_("entries returned"), default=0)
    days_over_eight = models.PositiveSmallIntegerField(_("days above 8 hours"), default=0)
    missing_evidence = models.PositiveIntegerField(_("entries without evidence"), default=0)
    open_flags = models.PositiveIntegerField(_("open evidence flags"), default=0)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    rating = models.CharField(_("rating"), max_length=15, choices=Rating.choices, blank=True)

    class Meta:
        ordering = ["unit__code", "person__full_name"]
        verbose_name = _("person's month")
        verbose_name_plural = _("people's months")
        constraints = [
            models.UniqueConstraint(fields=["agency", "month", "person"], name="person_month_once"),
            models.CheckConstraint(
                condition=Q(approved_minutes__gte=0), name="person_month_minutes_positive"
            ),
        ]
        indexes = [models.Index(fields=["agency", "month", "unit"]), models.Index(fields=["person", "month"])]

    def __str__(self) -> str:
        return f"{self.person} {self.month:%m/%Y}"


class UnitMonth(models.Model):
    """A unit's month (``unit`` empty: the whole agency): headcount against the staffing the work needs."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+", verbose_name=_("agency"))
    month = models.DateField(_("month"))
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("unit")
    )
    working_days = models.PositiveSmallIntegerField(_("working days"))
    headcount = models.PositiveIntegerField(_("headcount"))
    # The days the people counted actually worked, together: working days less their leave.
    person_days = models.PositiveIntegerField(_("days worked by the people counted"), default=0)
    approved_minutes = models.DecimalField(_("approved standard minutes"), max_digits=12, decimal_places=2)
    # People by approved standard hours a working day: < 4, 4 to < 6, 6 to < 8, 8 and more.
    under_four = models.PositiveIntegerField(_("under 4 h a day"), default=0)
    four_to_six = models.PositiveIntegerField(_("4 to 6 h a day"), default=0)
    six_to_eight = models.PositiveIntegerField(_("6 to 8 h a day"), default=0)
    eight_or_more = models.PositiveIntegerField(_("8 h a day or more"), default=0)
    excellent = models.PositiveIntegerField(_("excellent"), default=0)
    good = models.PositiveIntegerField(_("good"), default=0)
    completed = models.PositiveIntegerField(_("completed"), default=0)
    not_completed = models.PositiveIntegerField(_("not completed"), default=0)
    unrated = models.PositiveIntegerField(_("not rated yet"), default=0)

    class Meta:
        ordering = ["month", "unit__code"]
        verbose_name = _("unit's month")
        verbose_name_plural = _("units' months")
        constraints = [
            models.UniqueConstraint(fields=["agency", "month", "unit"], name="unit_month_once"),
            models.UniqueConstraint(
                fields=["agency", "month"], condition=Q(unit__isnull=True), name="agency_month_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit or self.agency} {self.month:%m/%Y}"

    @property
    def approved_hours(self) -> Decimal:
        return self.approved_minutes / 60

    @property
    def hours_per_day(self) -> Decimal:
        """Average approved standard hours per day actually worked by the people counted (SPEC)."""
        return standards.hours_per_day(self.approved_minutes, self.person_days)

    @property
    def staffing_need(self) -> Decimal:
        """SPEC: approved standard hours ÷ (8 × working days)."""
        return standards.staffing_need(self.approved_minutes, self.working_days)

    @property
    def surplus(self) -> Decimal:
        """Headcount − staffing need: positive means more posts than the work needs."""
        return standards.surplus(self.headcount, self.staffing_need)

    @property
    def distribution(self) -> list[int]:
        return [self.under_four, self.four_to_six, self.six_to_eight, self.eight_or_more]

    @property
    def ratings(self) -> dict[str, int]:
        return {
            Rating.EXCELLENT: self.excellent,
            Rating.GOOD: self.good,
            Rating.COMPLETED: self.completed,
            Rating.NOT_COMPLETED: self.not_completed,
        }


class ReportKind(models.TextChoices):
    QUARTERLY = "quarterly", _("Quarterly report for HR")
    MONTHLY = "monthly", _("Monthly report of the agency")
    PERSON_MONTH = "person_month", _("Monthly sheet of a person")
    # Decree 335/2025 Article 21; its period is the year's January.
    ANNUAL = "annual", _("Annual ratings of the agency")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReportJob(models.Model):
    """A PDF report prepared in the background; the file is downloaded through a checked view only."""

    kind = models.CharField(_("report"), max_length=15, choices=ReportKind.choices)
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+", verbose_name=_("agency"))
    # The first month of the period (a quarter's first month for quarterly reports).
    period = models.DateField(_("period"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    # The PDF is written in the language of the person who asked for it, whatever the worker's default.
    language = models.CharField(_("language"), max_length=10, default="vi")
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=200, blank=True)
    # Written with every progress step: a running job whose heartbeat stops was lost with its worker.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/", blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_percent"),
            models.CheckConstraint(
                condition=~Q(kind=ReportKind.PERSON_MONTH) | Q(person__isnull=False),
                name="person_sheet_has_person",
            ),
            models.CheckConstraint(condition=Q(period__day=1), name="report_period_first_day"),
            models.CheckConstraint(
                condition=~Q(kind=ReportKind.QUARTERLY) | Q(period__month__in=[1, 4, 7, 10]),
                name="quarterly_report_starts_a_quarter",
            ),
            models.CheckConstraint(
                condition=~Q(kind=ReportKind.ANNUAL) | Q(period__month=1), name="annual_report_starts_a_year"
            ),
            # One unfinished job per report: two identical requests at once make one job. An agency
            # report has no person, and NULLs never collide in a unique index, hence the Coalesce.
            models.UniqueConstraint(
                "kind",
                "agency",
                "period",
                Coalesce("person", Value(0)),
                condition=Q(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]),
                name="report_job_one_unfinished",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "-created_at"], name="report_job_agency_idx"),
            models.Index(fields=["person", "-created_at"], name="report_job_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.agency.code} {self.period:%m/%Y}"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def period_label(self) -> str:
        """“Quarter III/2026” for a quarterly report, the year for the annual one, the month ("09/2026")
        otherwise."""
        if self.kind == ReportKind.QUARTERLY:
            return quarter_label(self.period)
        if self.kind == ReportKind.ANNUAL:
            return str(self.period.year)
        return date_format(self.period, "YEAR_MONTH_FORMAT")


ROMAN_QUARTERS = ("I", "II", "III", "IV")


def quarter_label(first_month: datetime.date) -> str:
    """A quarter as Vietnamese documents write it: "Quarter III/2026" (quý III/2026)."""
    return gettext("Quarter %(quarter)s/%(year)s") % {
        "quarter": ROMAN_QUARTERS[periods.quarter_of(first_month) - 1],
        "year": first_month.year,
    }


class MonthSent(models.Model):
    """An agency-month's results sent to the Department of Home Affairs (due by the 25th of the next
    month): who marked it sent, and when. Once per agency and month; recorded in the audit trail."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    month = models.DateField(_("month"))
    sent_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("sent by"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("month sent to the Department of Home Affairs")
        verbose_name_plural = _("months sent to the Department of Home Affairs")
        constraints = [models.UniqueConstraint(fields=["agency", "month"], name="month_sent_once")]

    def __str__(self) -> str:
        return f"{self.agency.code} {self.month:%m/%Y}"
