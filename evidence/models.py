"""Evidence from the agency's E-Office system, and the flags raised when a diary entry does not match it.

An entry of a task that produces an outgoing document (công văn đi) must cite one that
exists, drafted by the person or their unit, dated near the entry; an entry of a meeting
or field visit must match a calendar assignment of that day with the person among its
participants. Anomalies (a day far above the norm, a month above 10 hours a day) are
flagged too. The person may justify a flag; the reviewer may clear it, with a reason.
"""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from org.models import Agency, Unit
from worklog.models import DiaryEntry

SOURCE_ID_MAX = 100


def normalise_number(text: str) -> str:
    """A document's number and symbol compared loosely: case, spaces and the Đ/D spelling do not matter."""
    text = unicodedata.normalize("NFC", text or "").upper().replace("Đ", "D")
    return re.sub(r"\s+", "", text)


class OutgoingDocument(models.Model):
    """An outgoing official document (công văn đi) of the agency, as E-Office records it."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+", verbose_name=_("agency"))
    source_id = models.CharField(_("source id"), max_length=SOURCE_ID_MAX)
    number = models.CharField(_("number and symbol"), max_length=100, help_text=_("For example 1234/STC-NS."))
    number_key = models.CharField(max_length=100, editable=False, db_index=True)
    issued_on = models.DateField(_("date issued"))
    summary = models.TextField(_("summary"), blank=True)
    drafter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    drafting_unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("drafting unit"),
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        ordering = ["-issued_on", "number"]
        verbose_name = _("outgoing document")
        verbose_name_plural = _("outgoing documents")
        constraints = [
            models.UniqueConstraint(fields=["agency", "source_id"], name="document_source_once"),
            models.CheckConstraint(condition=~Q(number=""), name="document_has_number"),
        ]
        indexes = [models.Index(fields=["agency", "number_key"])]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs):
        self.number_key = normalise_number(self.number)
        if kwargs.get("update_fields") is not None and "number" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "number_key"}
        super().save(*args, **kwargs)


class AssignmentKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    FIELD_VISIT = "field_visit", _("Field visit")


class CalendarAssignment(models.Model):
    """A meeting or field visit of the agency's work calendar, with the people assigned to it."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+", verbose_name=_("agency"))
    source_id = models.CharField(_("source id"), max_length=SOURCE_ID_MAX)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("from"), null=True, blank=True)
    end_time = models.TimeField(_("until"), null=True, blank=True)
    kind = models.CharField(
        _("kind"), max_length=15, choices=AssignmentKind.choices, default=AssignmentKind.MEETING
    )
    title = models.CharField(_("title"), max_length=500)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("participants")
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        ordering = ["-date", "start_time"]
        verbose_name = _("calendar assignment")
        verbose_name_plural = _("calendar assignments")
        constraints = [
            models.UniqueConstraint(fields=["agency", "source_id"], name="assignment_source_once"),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True)
                | Q(end_time__isnull=True)
                | Q(end_time__gte=models.F("start_time")),
                name="assignment_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["agency", "date"])]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.title}"


class FlagKind(models.TextChoices):
    DOCUMENT_MISSING = "document_missing", _("No such outgoing document")
    DOCUMENT_OTHER_DRAFTER = "document_other_drafter", _("Document drafted by someone else")
    DOCUMENT_DATE = "document_date", _("Document dated too far from the entry")
    NOT_ASSIGNED = "not_assigned", _("Not assigned to a meeting or visit that day")
    DAY_FAR_ABOVE = "day_far_above", _("Day far above the norm")
    MONTH_ABOVE_TEN = "month_above_ten", _("Month above 10 hours a day")


class FlagQuerySet(models.QuerySet):
    def open(self):
        """Flags still standing: not cleared by the reviewer and not resolved by new evidence."""
        return self.filter(cleared_at__isnull=True, resolved_at__isnull=True)


class EntryFlag(models.Model):
    entry = models.ForeignKey(
        DiaryEntry, on_delete=models.CASCADE, related_name="flags", verbose_name=_("entry")
    )
    # The entry's agency, kept on the flag so that an agency's open flags are read without its diary:
    # the monthly job counts them in one pass (reports.services.PERSON_DAYS_SQL). Set from the entry.
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="+", editable=False, verbose_name=_("agency")
    )
    kind = models.CharField(_("kind"), max_length=25, choices=FlagKind.choices)
    detail = models.CharField(_("detail"), max_length=500)
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    justification = models.TextField(_("justification"), blank=True)
    justified_at = models.DateTimeField(_("justified at"), null=True, blank=True)
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cleared by"),
    )
    cleared_reason = models.TextField(_("reason for clearing"), blank=True)
    # Set when a later check finds the evidence (a document imported afterwards, for example).
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    objects = FlagQuerySet.as_manager()

    class Meta:
        ordering = ["entry", "kind"]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            models.UniqueConstraint(fields=["entry", "kind"], name="flag_once_per_kind"),
            models.CheckConstraint(
                condition=Q(cleared_at__isnull=True) | ~Q(cleared_reason=""), name="flag_cleared_with_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "cleared_at", "resolved_at"]),
            # An agency's open flags (the monthly job): a few pages, not a probe per diary entry.
            models.Index(
                fields=["agency", "entry"],
                condition=Q(cleared_at__isnull=True, resolved_at__isnull=True),
                name="flag_open_by_agency_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.detail}"

    def save(self, *args, **kwargs):
        if self.agency_id is None:
            self.agency_id = self.entry.agency_id
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.cleared_at is None and self.resolved_at is None


class AgencyRecheck(models.Model):
    """When an agency's diary must next be checked against the evidence, and when it last was.

    ``requested_at`` is an outbox mark written in the same transaction as what asks for the check (an
    import, the nightly schedule): a broker outage delays the check, never loses it, because the
    every-minute sweep finds the mark. A check holds this row locked while it runs, so an import
    that commits meanwhile waits for it and leaves its own mark for the next check.
    """

    agency = models.OneToOneField(
        Agency, on_delete=models.CASCADE, primary_key=True, related_name="+", verbose_name=_("agency")
    )
    requested_at = models.DateTimeField(_("check requested at"), null=True, blank=True)
    checked_at = models.DateTimeField(_("last checked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("evidence check of an agency")
        verbose_name_plural = _("evidence checks of agencies")

    def __str__(self) -> str:
        return str(self.agency_id)


class DismissedSuggestion(models.Model):
    """A suggestion of the day page ("Gợi ý từ E-Office") the person does not want offered again."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    document = models.ForeignKey(
        OutgoingDocument,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("outgoing document"),
    )
    assignment = models.ForeignKey(
        CalendarAssignment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("calendar assignment"),
    )
    dismissed_at = models.DateTimeField(_("dismissed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dismissed suggestion")
        verbose_name_plural = _("dismissed suggestions")
        constraints = [
            models.CheckConstraint(
                condition=Q(document__isnull=True, assignment__isnull=False)
                | Q(document__isnull=False, assignment__isnull=True),
                name="dismissed_one_item",
            ),
            models.UniqueConstraint(
                fields=["person", "document"],
                condition=Q(document__isnull=False),
                name="dismissed_document_once",
            ),
            models.UniqueConstraint(
                fields=["person", "assignment"],
                condition=Q(assignment__isnull=False),
                name="dismissed_assignment_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.document_id or self.assignment_id}"
