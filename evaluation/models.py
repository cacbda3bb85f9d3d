"""Monthly evaluation of a person under Decree 335/2025, with its weights, appeals and disciplinary measures.

A score is made of task results (from the month's approved diary entries:
quantity, quality, progress; for a unit head, also the unit component) and
general criteria scored by hand. ``evaluation/scoring.py`` computes it; the
numbers are stored on the evaluation when it is scored and when it is final,
so that a final rating never moves unless an appeal amends it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import cached_property
from typing import TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import Exact, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kpi_portal import periods, standards
from org.models import Agency, Unit


class _Digits(TypedDict):
    max_digits: int
    decimal_places: int


POINTS: _Digits = {"max_digits": 5, "decimal_places": 2}


class CriteriaVersionQuerySet(models.QuerySet["CriteriaVersion"]):
    def in_force_on(self, day: datetime.date) -> CriteriaVersion:
        """The set of general criteria in force on ``day``: the latest one effective by then.

        A day before every version gets the earliest one, so a month always has its criteria.
        """
        found = self.filter(effective_from__lte=day).order_by("-effective_from").first()
        return found or self.order_by("effective_from").first() or self.get()


class CriteriaVersion(models.Model):
    """A set of general criteria (30 points) as a decree defines them, from the day it takes effect.

    A month is evaluated under the version in force on its first day (docs/general-criteria.md); a new
    decree is a new version, so a month already evaluated keeps the criteria it was scored on.
    """

    name = models.CharField(_("name"), max_length=120)
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    effective_from = models.DateField(_("effective from"), unique=True)

    objects = CriteriaVersionQuerySet.as_manager()

    class Meta:
        ordering = ["effective_from"]
        verbose_name = _("general criteria version")
        verbose_name_plural = _("general criteria versions")

    def __str__(self) -> str:
        return self.name


class GeneralCriterion(models.Model):
    """One general criterion of a version; its name and description are Vietnamese content, not UI text.

    The key names the criterion in stored points and audit events; it is unique across versions too,
    so that ``politics`` or ``competence`` in an audit event means one criterion whatever the month.
    """

    version = models.ForeignKey(
        CriteriaVersion, on_delete=models.PROTECT, related_name="criteria", verbose_name=_("version")
    )
    key = models.SlugField(_("key"), max_length=30, unique=True)
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    default_points = models.PositiveSmallIntegerField(
        _("default points"), validators=[MaxValueValidator(standards.GENERAL_POINTS)]
    )

    class Meta:
        ordering = ["version__effective_from", "order"]
        verbose_name = _("general criterion")
        verbose_name_plural = _("general criteria")
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="criterion_order_once_a_version"),
        ]

    def __str__(self) -> str:
        return self.name


class Rating(models.TextChoices):
    EXCELLENT = "excellent", _("Excellently completed tasks")
    GOOD = "good", _("Well completed tasks")
    COMPLETED = "completed", _("Completed tasks")
    NOT_COMPLETED = "not_completed", _("Did not complete tasks")


class TaskBasis(models.TextChoices):
    """What the three task-result ratios are measured against (docs/scoring.md, worked examples)."""

    ASSIGNED = "assigned", _("Work assigned (assignments due in the month and accepted own initiatives)")
    CAPACITY = "capacity", _("Capacity (8 hours a working day)")


class AnnualGroups(models.TextChoices):
    """How an agency forms the groups of similar posts its annual excellent quota is counted in."""

    LEADERS = "leaders", _("Leaders, and everyone else")
    POSITIONS = "positions", _("Leaders, and everyone else by job position")


# A leader's capacity to organise the work (Decree 335/2025, leaders' task results): its points within
# the 70 and the levels a reviewer chooses from, as an agency starts (docs/scoring.md, "Leaders").
DEFAULT_CAPACITY_POINTS = 10
DEFAULT_CAPACITY_LEVELS = "100,75,50,25,0"


def parse_capacity_levels(value: str) -> list[int]:
    """``"100,75,50"`` → ``[100, 75, 50]`` (highest first, no repeats); ``ValueError`` when malformed."""
    levels = sorted({int(part) for part in value.replace(" ", "").split(",") if part}, reverse=True)
    if not levels or any(not 0 <= level <= 100 for level in levels):
        raise ValueError(value)
    return levels


def validate_capacity_levels(value: str) -> None:
    try:
        parse_capacity_levels(value)
    except ValueError:
        raise ValidationError(
            _("Give whole percentages from 0 to 100 separated by commas, for example 100,75,50,25,0.")
        ) from None


# Decree 335/2025 Article 21: the annual rating is decided before 15 December.
ANNUAL_DEADLINE_DAY = 15


class ScoringScheme(models.Model):
    """An agency's weights and evaluation settings (the general criteria's weights: ``CriterionWeight``)."""

    agency = models.OneToOneField(
        Agency, on_delete=models.CASCADE, related_name="scoring_scheme", verbose_name=_("agency")
    )
    quantity_points = models.PositiveSmallIntegerField(_("quantity"), default=30)
    quality_points = models.PositiveSmallIntegerField(_("quality"), default=20)
    progress_points = models.PositiveSmallIntegerField(_("progress"), default=20)
    unit_points = models.PositiveSmallIntegerField(
        _("unit component (unit heads)"),
        default=20,
        help_text=_(
            "Part of a unit head's task-result points that comes from the unit: "
            "all of it when every member at least completed their tasks, half otherwise."
        ),
    )
    capacity_points = models.PositiveSmallIntegerField(
        _("capacity to organise the work (leaders)"),
        default=DEFAULT_CAPACITY_POINTS,
        help_text=_(
            "Part of a leader's task-result points the reviewer gives for their capacity to organise "
            "the work of the units they lead (Decree 335/2025), at one of the levels below."
        ),
    )
    capacity_levels = models.CharField(
        _("levels of the capacity to organise the work (percent)"),
        max_length=60,
        default=DEFAULT_CAPACITY_LEVELS,
        validators=[validate_capacity_levels],
        help_text=_(
            "The percentages the reviewer chooses from, separated by commas, for example 100,75,50,25,0. "
            "100 %: every task of the plan completed on time, to standard, organised with initiative."
        ),
    )
    appeal_days = models.PositiveSmallIntegerField(
        _("days to appeal"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("How many days after a rating is final the person may appeal."),
    )
    self_assessment_days = models.PositiveSmallIntegerField(
        _("self-assessment deadline (working day of the next month)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_(
            "The person assesses themself until this working day of the month after; after it the "
            "supervisor scores without the self-assessment."
        ),
    )
    excellent_quota_percent = models.PositiveSmallIntegerField(
        _("excellent quota (percent of those rated well completed)"),
        default=standards.EXCELLENT_QUOTA_MAX_PERCENT,
        validators=[MinValueValidator(1), MaxValueValidator(standards.EXCELLENT_QUOTA_MAX_PERCENT)],
        help_text=_("Decree 335/2025: at most 20 %; an agency may set a lower quota."),
    )
    task_basis = models.CharField(
        _("task results measured against"),
        max_length=10,
        choices=TaskBasis.choices,
        default=TaskBasis.ASSIGNED,
        help_text=_(
            "Decree 335/2025 Article 14 measures the products assigned; an agency may measure against "
            "its capacity instead (8 hours a working day, Khánh Hòa's reading)."
        ),
    )
    annual_deadline_day = models.PositiveSmallIntegerField(
        _("annual rating deadline (day of December)"),
        default=ANNUAL_DEADLINE_DAY,
        validators=[MinValueValidator(1), MaxValueValidator(15)],
        help_text=_("Decree 335/2025 Article 21: by 15 December at the latest."),
    )
    annual_groups = models.CharField(
        _("groups for the annual excellent quota"),
        max_length=10,
        choices=AnnualGroups.choices,
        default=AnnualGroups.LEADERS,
        help_text=_("Decree 335/2025: the quota applies in each group of similar posts; leaders apart."),
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scoring scheme")
        verbose_name_plural = _("scoring schemes")
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(
                    F("unit_points"), F("quantity_points") + F("quality_points") + F("progress_points")
                ),
                name="scheme_unit_points_within_task_points",
                violation_error_message=_("The unit component cannot exceed the task-result points."),
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(
                    F("unit_points") + F("capacity_points"),
                    F("quantity_points") + F("quality_points") + F("progress_points"),
                ),
                name="scheme_leader_parts_within_task_points",
                violation_error_message=_(
                    "The unit component and the capacity to organise the work together cannot exceed "
                    "the task-result points."
                ),
            ),
            # The general criteria's 30 are rows (CriterionWeight): services.schemes checks them.
            models.CheckConstraint(
                condition=Exact(
                    F("quantity_points") + F("quality_points") + F("progress_points"), standards.TASK_POINTS
                ),
                name="scheme_task_points_70",
                violation_error_message=_(
                    "Decree 335/2025 fixes task results at 70 points and general criteria at 30."
                ),
            ),
            models.CheckConstraint(
                condition=Q(
                    excellent_quota_percent__gte=1,
                    excellent_quota_percent__lte=standards.EXCELLENT_QUOTA_MAX_PERCENT,
                ),
                name="scheme_excellent_quota_within_decree",
                violation_error_message=_("Decree 335/2025 allows an excellent quota of at most 20 %."),
            ),
            models.CheckConstraint(
                condition=Q(annual_deadline_day__gte=1, annual_deadline_day__lte=ANNUAL_DEADLINE_DAY),
                name="scheme_annual_deadline_by_15_december",
                violation_error_message=_("Decree 335/2025 has the annual rating decided by 15 December."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.agency)

    @property
    def task_points(self) -> int:
        return self.quantity_points + self.quality_points + self.progress_points

    @property
    def capacity_scale(self) -> list[int]:
        """The capacity levels a reviewer chooses from, in percent, highest first."""
        return parse_capacity_levels(self.capacity_levels)

    @cached_property
    def _criterion_weights(self) -> dict[str, int]:
        given = dict(self.criterion_weights.values_list("criterion__key", "points")) if self.pk else {}
        return {
            key: given.get(key, default)
            for key, default in GeneralCriterion.objects.values_list("key", "default_points")
        }

    def criterion_points(self, key: str) -> int:
        """The agency's weight of a general criterion (of any version): its own, or the default points."""
        return self._criterion_weights[key]

    def weights_of(self, version: CriteriaVersion) -> dict[str, int]:
        """The weight of each criterion of ``version``, in the version's order."""
        return {c.key: self.criterion_points(c.key) for c in version.criteria.all()}

    @property
    def general_points(self) -> int:
        """The general criteria's points under the version in force today (30 when within the decree)."""
        return sum(self.weights_of(CriteriaVersion.objects.in_force_on(timezone.localdate())).values())


class CriterionWeight(models.Model):
    """An agency's weight of one general criterion; without a row the criterion has its default points."""

    scheme = models.ForeignKey(
        ScoringScheme, on_delete=models.CASCADE, related_name="criterion_weights", verbose_name=_("weights")
    )
    criterion = models.ForeignKey(
        GeneralCriterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion")
    )
    points = models.PositiveSmallIntegerField(
        _("points"), validators=[MaxValueValidator(standards.GENERAL_POINTS)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criterion weight")
        verbose_name_plural = _("criterion weights")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "criterion"], name="criterion_weight_once_a_scheme"),
            models.CheckConstraint(
                condition=Q(points__lte=standards.GENERAL_POINTS), name="criterion_weight_within_30"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.points}"


class EvaluationStatus(models.TextChoices):
    OPEN = "open", _("Waiting for self-assessment")
    SELF_ASSESSED = "self_assessed", _("Self-assessed")
    SCORED = "scored", _("Scored by the supervisor")
    FINAL = "final", _("Final")


class MonthlyEvaluation(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("person"),
    )
    # Where the person was at the end of the month (or when evaluated); a transfer keeps it.
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    is_unit_head = models.BooleanField(_("unit head"), default=False)
    # The general criteria in force on the month's first day; a later decree never changes them.
    criteria_version = models.ForeignKey(
        CriteriaVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("general criteria")
    )
    status = models.CharField(
        _("status"), max_length=15, choices=EvaluationStatus.choices, default=EvaluationStatus.OPEN
    )
    self_comment = models.TextField(_("self-assessment"), blank=True)
    supervisor_comment = models.TextField(_("supervisor's comment"), blank=True)

    # The computed parts, stored when scored and when final.
    working_days = models.PositiveSmallIntegerField(_("working days"), default=0)
    approved_minutes = models.DecimalField(
        _("approved standard minutes"), max_digits=10, decimal_places=2, default=0
    )
    # What the task results were measured against when scored: the basis and its standard minutes.
    task_basis = models.CharField(
        _("task results measured against"), max_length=10, choices=TaskBasis.choices, blank=True
    )
    expected_minutes = models.DecimalField(
        _("workload measured against (standard minutes)"), max_digits=10, decimal_places=2, default=0
    )
    quantity_score = models.DecimalField(_("quantity"), default=0, **POINTS)
    quality_score = models.DecimalField(_("quality"), default=0, **POINTS)
    progress_score = models.DecimalField(_("progress"), default=0, **POINTS)
    unit_score = models.DecimalField(_("unit component"), null=True, blank=True, **POINTS)
    # Leaders only: the level of their capacity to organise the work the reviewer chose, and its points.
    capacity_percent = models.PositiveSmallIntegerField(
        _("capacity to organise the work (percent)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    capacity_score = models.DecimalField(_("capacity to organise the work"), null=True, blank=True, **POINTS)
    task_score = models.DecimalField(_("task results"), default=0, **POINTS)
    general_score = models.DecimalField(_("general criteria"), default=0, **POINTS)
    total_score = models.DecimalField(_("score"), default=0, **POINTS)
    rating = models.CharField(_("rating"), max_length=15, choices=Rating.choices, blank=True)
    disciplined = models.BooleanField(_("disciplinary measure in the period"), default=False)

    self_assessed_at = models.DateTimeField(_("self-assessed at"), null=True, blank=True)
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scored by"),
    )
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("finalised by"),
    )
    # Optimistic locking, as for diary entries.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-month", "person__full_name"]
        verbose_name = _("monthly evaluation")
        verbose_name_plural = _("monthly evaluations")
        constraints = [
            models.UniqueConstraint(fields=["person", "month"], name="evaluation_once_a_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="evaluation_month_first_day"),
            models.CheckConstraint(
                condition=Q(total_score__gte=0, total_score__lte=100), name="evaluation_score_0_100"
            ),
            models.CheckConstraint(
                condition=Q(status__in=EvaluationStatus.values), name="evaluation_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=EvaluationStatus.FINAL) | ~Q(rating=""),
                name="evaluation_final_has_rating",
            ),
        ]
        indexes = [models.Index(fields=["agency", "month", "status"])]

    def __str__(self) -> str:
        return f"{self.person} {self.month:%m/%Y}"

    def save(self, *args, **kwargs) -> None:
        # Whoever creates the month (the service, the admin, a test) evaluates it under the criteria
        # in force on its first day.
        if self.criteria_version_id is None:
            self.criteria_version = CriteriaVersion.objects.in_force_on(self.month)
        super().save(*args, **kwargs)

    @property
    def month_end(self) -> datetime.date:
        return periods.month_end(self.month)

    @property
    def is_final(self) -> bool:
        return self.status == EvaluationStatus.FINAL


class CriterionScore(models.Model):
    """Points for one general criterion, given by the person (self) or by the supervisor."""

    class By(models.TextChoices):
        SELF = "self", _("Self-assessment")
        SUPERVISOR = "supervisor", _("Supervisor")

    evaluation = models.ForeignKey(
        MonthlyEvaluation, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("evaluation")
    )
    criterion = models.ForeignKey(
        GeneralCriterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion")
    )
    by = models.CharField(_("given by"), max_length=10, choices=By.choices)
    points = models.DecimalField(_("points"), validators=[MinValueValidator(Decimal(0))], **POINTS)
    comment = models.TextField(_("comment"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["evaluation", "by", "criterion__order"]
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion", "by"], name="criterion_scored_once"),
            models.CheckConstraint(condition=Q(points__gte=0), name="criterion_points_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.points}"


class DisciplinaryMeasure(models.Model):
    """A disciplinary measure: the person is "not completed" for any period that contains its date."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="disciplinary_measures",
        verbose_name=_("person"),
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    decided_on = models.DateField(_("decided on"))
    description = models.CharField(_("measure and decision number"), max_length=255)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_on"]
        verbose_name = _("disciplinary measure")
        verbose_name_plural = _("disciplinary measures")

    def __str__(self) -> str:
        return f"{self.person} {self.decided_on:%d/%m/%Y}"


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    UPHELD = "upheld", _("Rating upheld")
    AMENDED = "amended", _("Rating amended")


class Appeal(models.Model):
    """A complaint (khiếu nại) against a final evaluation, and the leader's written decision."""

    evaluation = models.OneToOneField(
        MonthlyEvaluation, on_delete=models.PROTECT, related_name="appeal", verbose_name=_("evaluation")
    )
    reason = models.TextField(_("reason for the appeal"))
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.PENDING
    )
    decision = models.TextField(_("decision"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    score_before = models.DecimalField(_("score before"), **POINTS)
    rating_before = models.CharField(_("rating before"), max_length=15, choices=Rating.choices)
    score_after = models.DecimalField(_("score after"), null=True, blank=True, **POINTS)
    rating_after = models.CharField(_("rating after"), max_length=15, choices=Rating.choices, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-filed_at"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="appeal_has_reason"),
            models.CheckConstraint(
                condition=Q(status=AppealStatus.PENDING) | ~Q(decision=""), name="appeal_decision_written"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} ({self.get_status_display()})"


class AnnualStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed by the reviewer")
    DECIDED = "decided", _("Decided by the leader")


class AnnualRating(models.Model):
    """A person's rating of a year (Decree 335/2025 Article 21): proposed by their reviewer from the
    year's final months, decided by the agency leader within the excellent quota of the person's group.

    The months counted and their average are stored when proposed (and again when decided), so the
    decision names the figures it was taken on; ``evaluation.services.annual`` owns every change.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="annual_ratings",
        verbose_name=_("person"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    # "leaders", "staff", or "position:<job position>" (``evaluation.annual.group_of``).
    group = models.CharField(_("group of similar posts"), max_length=160)
    months_counted = models.PositiveSmallIntegerField(_("final months counted"))
    average_score = models.DecimalField(_("average of the final months"), **POINTS)
    disciplined = models.BooleanField(_("disciplinary measure in the year"), default=False)
    suggested_rating = models.CharField(_("rating of the average"), max_length=15, choices=Rating.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=AnnualStatus.choices, default=AnnualStatus.PROPOSED
    )
    proposed_rating = models.CharField(_("proposed rating"), max_length=15, choices=Rating.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    proposal_comment = models.TextField(_("reviewer's comment"), blank=True)
    decided_rating = models.CharField(_("decided rating"), max_length=15, choices=Rating.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "unit__code", "person__full_name"]
        verbose_name = _("annual rating")
        verbose_name_plural = _("annual ratings")
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="annual_rating_once_a_year"),
            models.CheckConstraint(condition=Q(status__in=AnnualStatus.values), name="annual_status_valid"),
            models.CheckConstraint(
                condition=Q(status=AnnualStatus.PROPOSED, decided_rating="")
                | (Q(status=AnnualStatus.DECIDED) & ~Q(decided_rating="") & Q(decided_at__isnull=False)),
                name="annual_decided_has_rating",
            ),
            models.CheckConstraint(
                condition=Q(average_score__gte=0, average_score__lte=100), name="annual_average_0_100"
            ),
        ]
        indexes = [models.Index(fields=["agency", "year", "group", "status"])]

    def __str__(self) -> str:
        return f"{self.person} {self.year}"

    @property
    def is_decided(self) -> bool:
        return self.status == AnnualStatus.DECIDED

    @property
    def rating(self) -> str:
        """The rating in force: the leader's once decided, the proposal until then."""
        return self.decided_rating or self.proposed_rating

    def get_decided_rating_label(self) -> str:
        return str(Rating(self.decided_rating).label) if self.decided_rating else ""

    @property
    def group_label(self) -> str:
        if self.group == "leaders":
            return str(_("Leaders"))
        if self.group == "staff":
            return str(_("Civil servants (not leaders)"))
        return self.group.removeprefix("position:")


class AnnualAppeal(models.Model):
    """A complaint against a decided annual rating, and the leader's written decision on it."""

    annual_rating = models.OneToOneField(
        AnnualRating, on_delete=models.PROTECT, related_name="appeal", verbose_name=_("annual rating")
    )
    reason = models.TextField(_("reason for the appeal"))
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.PENDING
    )
    decision = models.TextField(_("decision"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    rating_before = models.CharField(_("rating before"), max_length=15, choices=Rating.choices)
    rating_after = models.CharField(_("rating after"), max_length=15, choices=Rating.choices, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-filed_at"]
        verbose_name = _("appeal of an annual rating")
        verbose_name_plural = _("appeals of annual ratings")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="annual_appeal_has_reason"),
            models.CheckConstraint(
                condition=Q(status=AppealStatus.PENDING) | ~Q(decision=""),
                name="annual_appeal_decision_written",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.annual_rating} ({self.get_status_display()})"
