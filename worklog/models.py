"""The daily work diary (nhật ký công việc).

An entry counts standard minutes = the stage's norm × quantity, the norm
copied when the entry is made: a later norm never changes it. The person's
own estimate is kept beside it for comparison and never summed as worked time.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assignments.models import Assignment
from catalog.models import Stage, StandardTask
from kpi_portal import standards
from org.models import Agency, Unit

MAX_QUANTITY = Decimal("100")
MAX_ESTIMATE_MINUTES = 24 * 60
DESCRIPTION_MAX = 1000
EVIDENCE_MAX = 100
MAX_MARKS = standards.MAX_MARKS


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")
    # Left out of the month by a leader, with a reason: neither approved nor waiting (issue 14).
    EXCLUDED = "excluded", _("Excluded")


class DiaryEntry(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="diary_entries",
        verbose_name=_("person"),
    )
    # Where the person was on the entry's date; kept so that a later transfer changes nothing.
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    date = models.DateField(_("date"))
    task = models.ForeignKey(
        StandardTask, on_delete=models.PROTECT, related_name="diary_entries", verbose_name=_("standard task")
    )
    stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, related_name="diary_entries", verbose_name=_("stage")
    )
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_QUANTITY)],
        help_text=_("How many units of output (documents, files, meetings…) of this stage."),
    )
    norm_minutes = models.PositiveIntegerField(_("norm (minutes)"))
    standard_minutes = models.DecimalField(_("standard minutes"), max_digits=9, decimal_places=2)
    # The assignment this work counts toward; none for work nobody assigned (the person's own initiative,
    # accepted as such when approved).
    assignment = models.ForeignKey(
        Assignment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("counts toward the assignment"),
    )
    estimate_minutes = models.PositiveIntegerField(
        _("my estimate (minutes)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_ESTIMATE_MINUTES)],
        help_text=_(
            "Optional: how long it took in your view. Kept for comparison, never counted as worked time."
        ),
    )
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX, blank=True)
    evidence_ref = models.CharField(
        _("evidence"),
        max_length=EVIDENCE_MAX,
        blank=True,
        help_text=_("Number of the outgoing document, or the meeting, when the task asks for it."),
    )
    is_overtime = models.BooleanField(_("outside working days"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.DRAFT
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    # The reviewer's marks (Decree 335): each major error takes 25 % of the entry's quality
    # points, each delay 25 % of its progress points, unless a leader confirmed an objective cause.
    major_errors = models.PositiveSmallIntegerField(
        _("major errors"), default=0, validators=[MaxValueValidator(MAX_MARKS)]
    )
    delays = models.PositiveSmallIntegerField(
        _("delays"), default=0, validators=[MaxValueValidator(MAX_MARKS)]
    )
    # A waiting entry a leader left out of the month so that it can be finalised; taken back
    # (waiting again) while the month is not final.
    exclusion_reason = models.TextField(_("reason for exclusion"), blank=True)
    excluded_at = models.DateTimeField(_("excluded at"), null=True, blank=True)
    excluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("excluded by"),
    )
    objective_cause = models.TextField(_("objective cause confirmed"), blank=True)
    objective_cause_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("objective cause confirmed by"),
    )
    # Optimistic locking: every write bumps it, and a write based on an older value is refused.
    version = models.PositiveIntegerField(default=1)
    # The token of the form that created the entry: the same form posted again (a double click,
    # a retry after an error page) finds this entry instead of creating a second one.
    client_token = models.UUIDField(_("form token"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # No django-simple-history here: the entry's history is its audit events (``org.audit``), one per
    # change with who, when, why, before and after (``selectors.entry_history``; issue 19).

    class Meta:
        ordering = ["date", "created_at", "pk"]
        verbose_name = _("diary entry")
        verbose_name_plural = _("diary entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0, quantity__lte=MAX_QUANTITY),
                name="entry_quantity_positive_bounded",
            ),
            models.CheckConstraint(condition=Q(norm_minutes__gte=1), name="entry_norm_positive"),
            models.CheckConstraint(
                condition=Q(standard_minutes__gte=0), name="entry_standard_minutes_not_negative"
            ),
            models.CheckConstraint(condition=Q(status__in=EntryStatus.values), name="entry_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=EntryStatus.RETURNED) | ~Q(return_reason=""),
                name="entry_returned_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=EntryStatus.EXCLUDED)
                | (~Q(exclusion_reason="") & Q(excluded_by__isnull=False)),
                name="entry_excluded_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(major_errors__lte=MAX_MARKS, delays__lte=MAX_MARKS), name="entry_marks_bounded"
            ),
            models.UniqueConstraint(
                fields=["person", "client_token"],
                condition=Q(client_token__isnull=False),
                name="entry_created_once_per_form",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "date"]),
            models.Index(fields=["status", "unit"]),
            models.Index(fields=["agency", "date"]),
            # The review queue's oldest waiting day, without reading the agency's whole history.
            models.Index(
                fields=["agency", "date"], condition=Q(status=EntryStatus.SUBMITTED), name="entry_waiting_idx"
            ),
            # A unit head's queue: the waiting work of a dozen people, not of their whole agency.
            models.Index(
                fields=["person", "date"],
                condition=Q(status=EntryStatus.SUBMITTED),
                name="entry_person_waiting_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.date:%d/%m/%Y} {self.task.code}"

    @property
    def is_editable(self) -> bool:
        """The owner may still change it: a draft, or an entry returned for correction."""
        return self.status in (EntryStatus.DRAFT, EntryStatus.RETURNED)

    @property
    def standard_hours(self) -> Decimal:
        return self.standard_minutes / 60

    @property
    def counts_toward_assignment(self) -> bool:
        """It counts toward its assignment: there is one and it was not cancelled."""
        return self.assignment is not None and self.assignment.is_open

    @property
    def is_late(self) -> bool:
        """Logged after its assignment's due date: one delay, automatically (Decree 335 Article 14)."""
        return (
            self.assignment is not None and self.assignment.is_open and self.date > self.assignment.due_date
        )


class DayReopening(models.Model):
    """A supervisor lets a person log work on a day older than the back-dating window."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reopened_days",
        verbose_name=_("person"),
    )
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=255)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reopened by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("reopened day")
        verbose_name_plural = _("reopened days")
        constraints = [models.UniqueConstraint(fields=["person", "date"], name="day_reopened_once")]

    def __str__(self) -> str:
        return f"{self.person} {self.date:%d/%m/%Y}"


class ReminderRun(models.Model):
    """The agency's staff were reminded about the diary of ``day`` (whoever had logged nothing).

    The reminder task goes through every working day since the last one done, so a run missed
    during an outage is made up by the next one (``worklog.tasks.remind_missing_entries``).
    """

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+", verbose_name=_("agency"))
    day = models.DateField(_("day"))
    done_at = models.DateTimeField(_("done at"), auto_now_add=True)

    class Meta:
        verbose_name = _("diary reminder run")
        verbose_name_plural = _("diary reminder runs")
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="reminder_run_once")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}"
