"""Work assigned (giao việc): what a leader expects of a person, by when (Decree 335/2025 Article 14).

An assignment names a standard task of the catalog in force (a stage of it, or the whole task), the
products expected and a due date. Its workload is the norm × the quantity in standard minutes, the norm
copied when it is assigned so that a later catalog never changes it. Whether it is complete, and on time,
follows from the approved diary entries counted toward it (``worklog.selectors.assignment_progress``):
nothing about completion is stored here. A recurring assignment is the routine a job position (vị trí
việc làm) produces each month; it issues one assignment a month to everyone holding the position.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalog.models import Stage, StandardTask
from org.models import Agency, Unit

MAX_QUANTITY = Decimal("1000")
NOTE_MAX = 1000
SOURCE_MAX = 200


class AssignmentStatus(models.TextChoices):
    OPEN = "open", _("Assigned")
    CANCELLED = "cancelled", _("Cancelled")


class RecurringAssignment(models.Model):
    """The products a job position is expected to deliver every month, in an agency."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    position = models.CharField(
        _("job position"),
        max_length=200,
        help_text=_("As written on the people's profiles, for example Chuyên viên ngân sách."),
    )
    task_code = models.CharField(_("task code"), max_length=20)
    stage_order = models.PositiveSmallIntegerField(
        _("stage"), null=True, blank=True, help_text=_("Empty: the whole task, every stage.")
    )
    quantity = models.DecimalField(
        _("products a month"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_QUANTITY)],
    )
    note = models.TextField(_("note"), max_length=NOTE_MAX, blank=True)
    active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["agency", "position", "task_code"]
        verbose_name = _("recurring assignment")
        verbose_name_plural = _("recurring assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0, quantity__lte=MAX_QUANTITY), name="recurring_quantity_bounded"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}: {self.task_code} × {self.quantity}"


class Assignment(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    # The person's unit when assigned; kept so that a later transfer changes nothing.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("assigned to"),
    )
    task = models.ForeignKey(
        StandardTask, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("standard task")
    )
    stage = models.ForeignKey(
        Stage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("stage"),
        help_text=_("Empty: the whole task, every stage."),
    )
    quantity = models.DecimalField(
        _("products expected"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_QUANTITY)],
    )
    # Minutes of one product (the stage's norm, or the task's stages together), copied when assigned.
    norm_minutes = models.PositiveIntegerField(_("norm (minutes)"))
    standard_minutes = models.DecimalField(_("standard minutes"), max_digits=10, decimal_places=2)
    due_date = models.DateField(_("due date"))
    note = models.TextField(_("note"), max_length=NOTE_MAX, blank=True)
    source = models.CharField(
        _("source"),
        max_length=SOURCE_MAX,
        blank=True,
        help_text=_("The incoming document number or the meeting the work comes from."),
    )
    recurring = models.ForeignKey(
        RecurringAssignment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued",
        verbose_name=_("recurring assignment"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.OPEN
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assigned by")
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    version = models.PositiveIntegerField(default=1)
    # The token of the form that assigned it: the same form posted again (a double click, a retry after
    # an error page) finds these assignments instead of assigning the work twice.
    client_token = models.UUIDField(_("form token"), null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0, quantity__lte=MAX_QUANTITY), name="assignment_quantity_bounded"
            ),
            models.CheckConstraint(condition=Q(norm_minutes__gte=1), name="assignment_norm_positive"),
            models.CheckConstraint(
                condition=Q(status__in=AssignmentStatus.values), name="assignment_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=AssignmentStatus.CANCELLED) | ~Q(cancel_reason=""),
                name="assignment_cancelled_has_reason",
            ),
            models.UniqueConstraint(
                fields=["person", "client_token"],
                condition=Q(client_token__isnull=False),
                name="assignment_made_once_per_form",
            ),
            # A recurring assignment issues one assignment a person a month (its due date).
            models.UniqueConstraint(
                fields=["recurring", "person", "due_date"],
                condition=Q(recurring__isnull=False),
                name="recurring_issued_once_a_month",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "due_date"]),
            models.Index(fields=["agency", "due_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.task.code} × {self.quantity} ({self.due_date:%d/%m/%Y})"

    @property
    def is_open(self) -> bool:
        return self.status == AssignmentStatus.OPEN
