"""The task catalog of an agency, in versions.

A version is either the single draft the catalog manager edits or a
published version, frozen, valid from its effective date until the next
published version takes over. Diary entries point at stages of published
versions and copy the norm when they are made, so neither a later norm nor a
later version can change a figure already recorded.
"""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kpi_portal import standards
from org.models import Agency, Province, Unit, code_validator

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
    # An agency's draft sent to its head: it no longer changes until the head publishes it or
    # sends it back (``catalog.services.catalog_submit``).
    SUBMITTED = "submitted", _("Waiting for the head's approval")
    PUBLISHED = "published", _("Published")


# Groups of the province's common catalog; an agency's own catalog adds group C to them.
COMMON_GROUPS = ("A", "B", "D")
# Statuses of the version being worked on: at most one per catalog.
WORKING_STATUSES = ("draft", "submitted")


class CatalogVersion(models.Model):
    """A version of an agency's catalog, or of a province's common catalog (groups A, B and D, kept by
    the Department of Home Affairs): exactly one of ``agency`` and ``province`` is set."""

    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="catalog_versions",
        verbose_name=_("agency"),
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="common_catalog_versions",
        verbose_name=_("province"),
        help_text=_("Set instead of an agency for the province's common catalog."),
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
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    returned_reason = models.CharField(_("reason for sending back"), max_length=500, blank=True)
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
            models.CheckConstraint(
                condition=Q(agency__isnull=False, province__isnull=True)
                | Q(agency__isnull=True, province__isnull=False),
                name="catalog_of_an_agency_or_a_province",
            ),
            models.UniqueConstraint(fields=["agency", "number"], name="catalog_version_number_unique"),
            models.UniqueConstraint(
                fields=["province", "number"],
                condition=Q(agency__isnull=True),
                name="common_catalog_version_number_unique",
            ),
            models.UniqueConstraint(
                fields=["agency"],
                condition=Q(status__in=WORKING_STATUSES),
                name="one_catalog_draft_per_agency",
                violation_error_message=_("This agency already has a draft catalog."),
            ),
            models.UniqueConstraint(
                fields=["province"],
                condition=Q(status__in=WORKING_STATUSES, agency__isnull=True),
                name="one_common_catalog_draft_per_province",
                violation_error_message=_("The province already has a draft common catalog."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(status="submitted", effective_from__isnull=False)
                | Q(effective_from__isnull=False, published_at__isnull=False),
                name="published_catalog_has_effective_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner.code} v{self.number}"

    @property
    def owner(self) -> Agency | Province:
        """Whose catalog this is: the agency's, or the province's common catalog."""
        return cast(Agency | Province, self.agency or self.province)

    @property
    def is_common(self) -> bool:
        return self.agency_id is None

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.status == VersionStatus.SUBMITTED


class StandardTask(models.Model):
    """A standard task (công việc chuẩn) of one catalog version."""

    version = models.ForeignKey(
        CatalogVersion, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("catalog version")
    )
    # The version's agency, repeated so that lookups by agency need no join; empty in a province's
    # common catalog.
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="standard_tasks",
        verbose_name=_("agency"),
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

    # A change's reason can carry its evidence (a calibration's figures): longer than the default 100.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

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


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a decision")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class CatalogProposal(models.Model):
    """An agency's proposal to adjust the province's common catalog, and the province's decision."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="catalog_proposals", verbose_name=_("proposing agency")
    )
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="catalog_proposals", verbose_name=_("province")
    )
    task_code = models.CharField(
        _("task code"),
        max_length=20,
        blank=True,
        help_text=_("The common task concerned; empty for a new task."),
    )
    text = models.TextField(_("proposal"), help_text=_("What should change and why, with the figures."))
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.OPEN
    )
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("proposal for the common catalog")
        verbose_name_plural = _("proposals for the common catalog")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(decided_at__isnull=False),
                name="catalog_proposal_decided_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency.code}: {self.task_code or '—'}"


class ImportKind(models.TextChoices):
    CATALOG = "catalog", _("Standard tasks and stages")
    DECLARED = "declared", _("Declared tasks")


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Checked, waiting for confirmation")
    REJECTED = "rejected", _("Has problems, not imported")
    APPLIED = "applied", _("Imported")
    # A large file's background job (``catalog.import_jobs``): checking it, then importing it.
    CHECKING = "checking", _("Being checked")
    APPLYING = "applying", _("Being imported")
    FAILED = "failed", _("Failed, not imported")


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
    # A large file is checked and imported by a background job; the fields below are its progress.
    background = models.BooleanField(_("in the background"), default=False)
    problem_count = models.PositiveIntegerField(
        _("number of problems"), default=0, help_text=_("All of them; only the first ones are kept.")
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("catalog import")
        verbose_name_plural = _("catalog imports")
        constraints = [
            # One background job of an agency at a time: two would race to replace the same draft.
            models.UniqueConstraint(
                fields=["agency"],
                condition=models.Q(status__in=["checking", "applying"]),
                name="catalog_import_one_unfinished",
            ),
        ]

    def __str__(self) -> str:
        return self.filename

    @property
    def is_unfinished(self) -> bool:
        return self.status in (ImportStatus.CHECKING, ImportStatus.APPLYING)


class HandbookStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class HandbookFile(models.Model):
    """The KPI handbook of a catalog version as a PDF, rendered once by a background job and kept.

    ``content_key`` fingerprints what the PDF prints (see ``catalog.handbook``): a published version's
    never changes, so its PDF is rendered once; a draft's changes with every edit, and the PDF with it.
    """

    # A discarded draft leaves its rows without a version; the sweep deletes them with their files.
    version = models.ForeignKey(
        CatalogVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handbook_files",
        verbose_name=_("catalog version"),
    )
    # The PDF is written in the language of the page that asked for it.
    language = models.CharField(_("language"), max_length=10, default="vi")
    content_key = models.CharField(_("content fingerprint"), max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=HandbookStatus.choices, default=HandbookStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=200, blank=True)
    # Written with every progress step: a running job whose heartbeat stops was lost with its worker;
    # for a queued job, when it was last sent to the broker.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="handbooks/%Y/%m/", blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("handbook PDF")
        verbose_name_plural = _("handbook PDFs")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="handbook_file_progress_percent"),
            # One render at a time of the same content: two readers opening the page at once make one job.
            models.UniqueConstraint(
                fields=["version", "language", "content_key"],
                condition=Q(status__in=["queued", "running"]),
                name="handbook_file_one_unfinished",
            ),
        ]
        indexes = [
            models.Index(fields=["version", "language", "content_key"], name="handbook_file_content_idx")
        ]

    def __str__(self) -> str:
        return f"{self.version or '—'} {self.language} {self.content_key[:8]}"

    @property
    def is_finished(self) -> bool:
        return self.status in (HandbookStatus.DONE, HandbookStatus.FAILED)
