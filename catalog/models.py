"""The task catalog of an agency, in versions.

A version is either the single draft the catalog manager edits or a
published version, frozen, valid from its effective date until the next
published version takes over. Diary entries point at stages of published
versions and copy the norm when they are made, so neither a later norm nor a
later version can change a figure already recorded.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kpi_portal import standards
from org.models import Agency, Unit, code_validator

# 50 working days at the norm (24,000 minutes): anything larger is a typing error.
MAX_NORM_MINUTES = 50 * standards.DAILY_NORM_MINUTES


class TaskGroup(models.TextChoices):
    """Khánh Hòa's four groups of standard tasks."""

    A = "A", _("A · Leadership and management")
    B = "B", _("B · Shared professional work")
    C = "C", _("C · Agency-specific work")
    D = "D", _("D · Other work")


class EvidenceKind(models.TextChoices):
    """What proves that the work was done, for the cross-check with E-Office."""

    DOCUMENT = "document", _("Outgoing document")
    MEETING = "meeting", _("Meeting or field visit")
    NONE = "none", _("None")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class CatalogVersion(models.Model):
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="catalog_versions", verbose_name=_("agency")
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    effective_from = models.DateField(
        _("effective from"),
        null=True,
        blank=True,
        help_text=_("From this day on, staff pick their tasks from this version."),
    )
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["agency", "-number"]
        verbose_name = _("catalog version")
        verbose_name_plural = _("catalog versions")
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], name="catalog_version_number_unique"),
            models.UniqueConstraint(
                fields=["agency"],
                condition=Q(status="draft"),
                name="one_catalog_draft_per_agency",
                violation_error_message=_("This agency already has a draft catalog."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(effective_from__isnull=False, published_at__isnull=False),
                name="published_catalog_has_effective_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency.code} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT


class StandardTask(models.Model):
    """A standard task (công việc chuẩn) of one catalog version."""

    version = models.ForeignKey(
        CatalogVersion, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("catalog version")
    )
    # The version's agency, repeated so that lookups by agency need no join.
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="standard_tasks", verbose_name=_("agency")
    )
    code = models.CharField(
        _("task code"),
        max_length=20,
        validators=[code_validator],
        help_text=_("Unique within the agency, for example B.03. Reports and imports use it."),
    )
    name = models.CharField(
        _("task name"), max_length=255, help_text=_("As staff will see it when they log their work.")
    )
    group = models.CharField(
        _("group"),
        max_length=1,
        choices=TaskGroup.choices,
        help_text=_(
            "A: leadership and management; B: shared professional work; C: agency-specific; D: other."
        ),
    )
    description = models.TextField(
        _("handbook description"),
        blank=True,
        help_text=_(
            "What the task is, when it counts as done and what proves it. Printed in the KPI handbook."
        ),
    )
    output_unit = models.CharField(
        _("output unit"),
        max_length=50,
        help_text=_("What one unit of output is: văn bản, hồ sơ, cuộc họp, báo cáo…"),
    )
    evidence_kind = models.CharField(
        _("evidence"),
        max_length=10,
        choices=EvidenceKind.choices,
        default=EvidenceKind.NONE,
        help_text=_(
            "Outgoing document: the diary entry must cite the document's number. "
            "Meeting or field visit: it must match the calendar."
        ),
    )
    active = models.BooleanField(
        _("in use"), default=True, help_text=_("Tasks not in use stay in history but cannot be picked.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "code"]
        verbose_name = _("standard task")
        verbose_name_plural = _("standard tasks")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="task_code_unique_in_version"),
            models.CheckConstraint(condition=Q(group__in=TaskGroup.values), name="task_group_valid"),
            models.CheckConstraint(
                condition=Q(evidence_kind__in=EvidenceKind.values), name="task_evidence_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["agency", "code"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def total_minutes(self) -> int:
        """Minutes of all stages for one unit of output (uses prefetched stages when loaded)."""
        return sum(stage.norm_minutes for stage in self.stages.all())


class Stage(models.Model):
    """A stage (giai đoạn) of a standard task, with its norm in minutes per unit of output."""

    task = models.ForeignKey(
        StandardTask, on_delete=models.CASCADE, related_name="stages", verbose_name=_("standard task")
    )
    order = models.PositiveSmallIntegerField(
        _("order"), validators=[MinValueValidator(1)], help_text=_("1 for the first stage, 2 for the next…")
    )
    name = models.CharField(_("stage name"), max_length=255)
    norm_minutes = models.PositiveIntegerField(
        _("norm (minutes)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_NORM_MINUTES)],
        help_text=_("Standard minutes for one unit of output of this stage."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["task", "order"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = [
            models.UniqueConstraint(fields=["task", "order"], name="stage_order_unique_in_task"),
            models.CheckConstraint(condition=Q(order__gte=1), name="stage_order_positive"),
            models.CheckConstraint(
                condition=Q(norm_minutes__gte=1, norm_minutes__lte=MAX_NORM_MINUTES),
                name="stage_norm_positive_and_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class DeclaredTask(models.Model):
    """A task as a unit or a person declared it (đầu việc kê khai), before or after merging."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="declared_tasks", verbose_name=_("agency")
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="declared_tasks",
        verbose_name=_("declaring unit"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="declared_tasks",
        verbose_name=_("declaring person"),
    )
    text = models.CharField(_("declared task"), max_length=500)
    source = models.CharField(_("source"), max_length=200, blank=True)
    # Points into the agency's working version (the draft if there is one).
    standard_task = models.ForeignKey(
        StandardTask,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="declared_tasks",
        verbose_name=_("merged into"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["agency", "unit", "text"]
        verbose_name = _("declared task")
        verbose_name_plural = _("declared tasks")
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(person__isnull=False),
                name="declared_task_has_a_declarer",
            ),
        ]
        indexes = [models.Index(fields=["agency", "standard_task"])]

    def __str__(self) -> str:
        return self.text


class ImportKind(models.TextChoices):
    CATALOG = "catalog", _("Standard tasks and stages")
    DECLARED = "declared", _("Declared tasks")


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Checked, waiting for confirmation")
    REJECTED = "rejected", _("Has problems, not imported")
    APPLIED = "applied", _("Imported")


class CatalogImport(models.Model):
    """An uploaded spreadsheet, kept from preview to confirmation and afterwards for audit."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    kind = models.CharField(_("kind"), max_length=10, choices=ImportKind.choices)
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
        help_text=_("Empty for imports run from the command line."),
    )
    applied_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("catalog import")
        verbose_name_plural = _("catalog imports")

    def __str__(self) -> str:
        return self.filename
