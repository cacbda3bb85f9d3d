"""The organisation: province → agency → unit tree → person.

Who reviews whom is never stored; it follows from the tree on a given date
(see ``org.selectors.reviewer_for``). Memberships and delegations carry dates
so that a transfer or an absence keeps its history.
"""

from __future__ import annotations

import datetime
from typing import ClassVar, Self

import rules
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kpi_portal import standards

code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9_.-]*$",
    _("Use capital letters, digits, dots, hyphens or underscores, for example STC or P.NS."),
)


def active_on_q(on: datetime.date, *, prefix: str = "") -> Q:
    """Rows whose inclusive [start, end] date range contains ``on`` (an open end never ends)."""
    return Q(**{f"{prefix}start__lte": on}) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": on})
    )


class DatedQuerySet(models.QuerySet):
    def active_on(self, on: datetime.date):
        return self.filter(active_on_q(on))


def in_force_q(on: datetime.date) -> Q:
    """Delegations that transfer review rights on ``on``.

    A cancellation takes effect from the day it is made: the days before it
    keep the delegate as their reviewer, so history is never rewritten.
    """
    return active_on_q(on) & (Q(cancelled_at__isnull=True) | Q(cancelled_at__date__gt=on))


class DelegationQuerySet(DatedQuerySet):
    def in_force_on(self, on: datetime.date):
        """Delegations that transfer review rights on ``on`` (see ``in_force_q``)."""
        return self.filter(in_force_q(on))


class Province(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("province")
    )
    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        validators=[code_validator],
        help_text=_("Short code used in reports and imports, for example STC."),
    )
    name = models.CharField(_("name"), max_length=255)
    backdate_working_days = models.PositiveSmallIntegerField(
        _("back-dating allowed (working days)"),
        default=5,
        validators=[MaxValueValidator(60)],
        help_text=_(
            "How many working days back staff may still log work; "
            "older days need the supervisor to reopen them."
        ),
    )
    daily_cap_minutes = models.PositiveSmallIntegerField(
        _("daily cap (minutes)"),
        default=standards.DAILY_CAP_DEFAULT_MINUTES,
        validators=[MinValueValidator(standards.DAILY_NORM_MINUTES), MaxValueValidator(24 * 60)],
        help_text=_("A day's standard minutes above this are refused; above 8 hours they are flagged."),
    )
    evidence_window_days = models.PositiveSmallIntegerField(
        _("evidence window (days)"),
        default=7,
        validators=[MaxValueValidator(90)],
        help_text=_("An outgoing document cited by an entry must be dated within this many days of it."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A department (phòng, ban) of an agency.

    Each agency has exactly one root unit, its leadership board (Ban Giám đốc):
    the head of the root is the head of the agency, and every other unit hangs
    below it, so the review line of a unit head ends at the agency leader.
    """

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="units", verbose_name=_("agency")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
        help_text=_("Leave empty only for the agency's leadership board."),
    )
    code = models.CharField(_("code"), max_length=30, validators=[code_validator])
    name = models.CharField(_("name"), max_length=255)

    history = HistoricalRecords()

    class Meta:
        ordering = ["agency__code", "code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="unit_code_unique_in_agency"),
            models.UniqueConstraint(
                fields=["agency"],
                condition=Q(parent__isnull=True),
                name="one_root_unit_per_agency",
                violation_error_message=_("This agency already has a leadership board."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent is None:
            return
        if self.parent.agency_id != self.agency_id:
            raise ValidationError({"parent": _("The parent unit must belong to the same agency.")})
        ancestor: Unit | None = self.parent
        while ancestor is not None:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A unit cannot be placed below itself.")})
            ancestor = ancestor.parent


class User(AbstractUser):
    """A person of the organisation; the login account is the person."""

    # Vietnamese names are written family name first; one field keeps them whole.
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    full_name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(
        _("job position"),
        max_length=200,
        blank=True,
        help_text=_("The job position (vị trí việc làm) the person holds, for example Budget officer."),
    )

    objects: ClassVar[UserManager[Self]] = UserManager()

    REQUIRED_FIELDS = ["full_name", "email"]

    class Meta:
        ordering = ["full_name", "username"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        # The given name is the last word of a Vietnamese full name.
        return self.full_name.split()[-1] if self.full_name else self.username

    def has_perm(self, perm: str, obj: models.Model | None = None) -> bool:
        # The apps' access rules (each app's rules.py) decide alone, for a superuser too: Django would
        # let a superuser through every one, and so have them review or score their own work.
        # Their AccessScope already reads everything; the admin's model permissions are unchanged.
        if rules.perm_exists(perm):
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)


class Membership(models.Model):
    """A person's place in a unit from ``start`` to ``end`` (both inclusive, open end = current)."""

    person = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("person")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("unit")
    )
    is_head = models.BooleanField(
        _("unit head"), default=False, help_text=_("The head reviews the unit's members.")
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty while current."))

    objects = DatedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "-start"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="membership_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]
        indexes = [models.Index(fields=["unit", "start"]), models.Index(fields=["person", "start"])]

    def __str__(self) -> str:
        return f"{self.person} – {self.unit}"

    def clean(self) -> None:
        """A person is in one unit at a time and a unit has one head at a time."""
        if self.start is None or (self.end is not None and self.end < self.start):
            return
        overlapping = Membership.objects.exclude(pk=self.pk).filter(start__lte=self.end or datetime.date.max)
        overlapping = overlapping.filter(Q(end__isnull=True) | Q(end__gte=self.start))
        if self.person_id and overlapping.filter(person_id=self.person_id).exists():
            raise ValidationError(
                _("This person already belongs to a unit in this period; end that membership first.")
            )
        if self.is_head and self.unit_id and overlapping.filter(unit_id=self.unit_id, is_head=True).exists():
            raise ValidationError({"is_head": _("This unit already has a head in this period.")})


class Supervision(models.Model):
    """A deputy director's field (phụ trách lĩnh vực): a unit the deputy is in charge of, ``start`` to
    ``end`` (both inclusive, open end = current).

    Decree 335/2025 scores a deputy on the units of the field assigned to them: the deputy's unit
    component counts the rated members of these units (``evaluation.leaders.leader_scope``). Only a
    member of the agency's leadership board supervises, and never the board itself; ``org.supervision``
    writes the rows with their audit event.
    """

    person = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="supervisions", verbose_name=_("deputy")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="supervisions", verbose_name=_("unit in the field")
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty while current."))
    note = models.CharField(
        _("decision or field"),
        max_length=255,
        blank=True,
        help_text=_("The assignment decision or the field, for example Ngân sách, đầu tư."),
    )

    objects = DatedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "unit__code", "-start"]
        verbose_name = _("unit in a deputy's field")
        verbose_name_plural = _("units in deputies' fields")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="supervision_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]
        indexes = [models.Index(fields=["person", "start"]), models.Index(fields=["unit", "start"])]

    def __str__(self) -> str:
        return f"{self.person} – {self.unit}"

    def clean(self) -> None:
        """A unit below the leadership board, supervised by a member of the board, once at a time."""
        if self.unit_id is None or self.person_id is None or self.start is None:
            return
        if self.end is not None and self.end < self.start:
            return
        if self.unit.parent_id is None:
            raise ValidationError({"unit": _("Choose a unit below the leadership board.")})
        on_board = Membership.objects.active_on(self.start).filter(
            person_id=self.person_id, unit__agency_id=self.unit.agency_id, unit__parent__isnull=True
        )
        if not on_board.exists():
            raise ValidationError(
                {"person": _("Only a member of the agency's leadership board is in charge of a field.")}
            )
        overlapping = (
            Supervision.objects.exclude(pk=self.pk)
            .filter(person_id=self.person_id, unit_id=self.unit_id, start__lte=self.end or datetime.date.max)
            .filter(Q(end__isnull=True) | Q(end__gte=self.start))
        )
        if overlapping.exists():
            raise ValidationError(_("This deputy is already in charge of this unit in this period."))


class Role(models.TextChoices):
    """Roles granted explicitly. Staff and supervisor follow from memberships."""

    LEADER = "leader", _("Agency leader")
    HR = "hr", _("HR officer")
    CATALOG_MANAGER = "catalog_manager", _("Catalog manager")
    ADMINISTRATOR = "administrator", _("Administrator")
    # Held with province scope: reviews and evaluates the heads of the province's agencies, whom nobody
    # inside their agency reviews (``org.selectors.reviewer_maps``).
    PROVINCE_REVIEWER = "province_reviewer", _("Province reviewer of agency heads")


class RoleAssignment(models.Model):
    """A role held over one agency, or over a whole province (province scope)."""

    person = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("agency"),
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("province"),
        help_text=_("Set instead of an agency to grant the role over every agency of the province."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "role"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(agency__isnull=False, province__isnull=True)
                | Q(agency__isnull=True, province__isnull=False),
                name="role_scope_is_agency_or_province",
                violation_error_message=_("Choose either an agency or a province, not both."),
            ),
            models.UniqueConstraint(fields=["person", "role", "agency"], name="role_unique_per_agency"),
            models.UniqueConstraint(fields=["person", "role", "province"], name="role_unique_per_province"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_role_display()} ({self.agency or self.province})"

    def clean(self) -> None:
        if self.role == Role.PROVINCE_REVIEWER and self.agency_id is not None:
            raise ValidationError(
                {
                    "agency": _(
                        "The province reviewer of agency heads is chosen for a province, not an agency."
                    )
                }
            )


class Delegation(models.Model):
    """A reviewer hands their review rights to another person for a date range."""

    delegator = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="delegations_given",
        verbose_name=_("delegated by"),
    )
    delegate = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="delegations_received",
        verbose_name=_("delegated to"),
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=255)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )

    objects = DelegationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start", "-pk"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="delegation_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=~Q(delegator=F("delegate")),
                name="delegation_not_to_self",
                violation_error_message=_("You cannot delegate to yourself."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegator} → {self.delegate} ({self.start:%d/%m/%Y}–{self.end:%d/%m/%Y})"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class CalendarOverride(models.Model):
    """A day that differs from Vietnam's public calendar: an extra day off or a make-up working day.

    Without an agency it applies to every agency; an agency's own override wins.
    """

    agency = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_overrides",
        verbose_name=_("agency"),
        help_text=_("Empty: the day applies to every agency."),
    )
    date = models.DateField(_("date"))
    is_working_day = models.BooleanField(
        _("working day"), help_text=_("Ticked: a make-up working day. Not ticked: an extra day off.")
    )
    reason = models.CharField(_("reason"), max_length=255)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        constraints = [
            models.UniqueConstraint(fields=["agency", "date"], name="calendar_override_unique_per_agency"),
            models.UniqueConstraint(
                fields=["date"], condition=Q(agency__isnull=True), name="calendar_override_unique_for_all"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.reason}"


class Notification(models.Model):
    """An in-app message; ``key`` makes a reminder idempotent (sent once, whatever the workers)."""

    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    key = models.CharField(_("key"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # The e-mail copy is owed until it is sent: written with the notification, cleared once the mail
    # is out, so a broker outage delays the e-mail but never loses it (the every-minute sweep).
    email_pending = models.BooleanField(_("e-mail copy not sent yet"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(
                fields=["created_at"], condition=Q(email_pending=True), name="notification_email_pending"
            ),
        ]

    def __str__(self) -> str:
        return self.title


AUDIT_ACTIONS = {
    "entry.created": _("entry written"),
    "entry.changed": _("entry edited by its owner"),
    "entry.deleted": _("entry deleted by its owner"),
    "entry.submitted": _("entry submitted"),
    "entry.approved": _("entry approved"),
    "entry.returned": _("entry returned"),
    "entry.reopened": _("approved entry reopened"),
    "entry.exempted": _("objective cause confirmed"),
    "entry.excluded": _("waiting entry excluded from the month"),
    "entry.included": _("excluded entry taken back to review"),
    "evaluation.self_assessed": _("self-assessment saved"),
    "evaluation.scored": _("scored by the supervisor"),
    "evaluation.recomputed": _("score recomputed"),
    "evaluation.finalised": _("rating made final"),
    "evaluation.amended": _("rating amended on appeal"),
    "appeal.filed": _("appeal filed"),
    "appeal.decided": _("appeal decided"),
    "scheme.changed": _("weights changed"),
    "discipline.recorded": _("disciplinary measure recorded"),
    "flag.justified": _("flag justified"),
    "flag.cleared": _("flag cleared"),
    "evidence.imported": _("E-Office evidence imported"),
    "assignment.created": _("work assigned"),
    "assignment.changed": _("assignment changed"),
    "assignment.cancelled": _("assignment cancelled"),
    "assignment.recurring_created": _("routine of a job position set"),
    "assignment.recurring_stopped": _("routine of a job position stopped"),
    "report.sent": _("monthly results sent to the Department of Home Affairs"),
    "leave.recorded": _("leave recorded"),
    "leave.deleted": _("leave deleted"),
    "leave.imported": _("leave imported"),
    "person.directory_synced": _("place and roles updated from the directory"),
    "second_factor.enrolled": _("second factor set up"),
    "second_factor.reset": _("second factor reset by an administrator"),
    "supervision.recorded": _("unit added to a deputy's field"),
    "supervision.ended": _("unit removed from a deputy's field"),
}


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied(_("The audit trail cannot be changed."))

    def delete(self):
        raise PermissionDenied(_("The audit trail cannot be changed."))

    def bulk_create(self, objs, *args, update_conflicts: bool = False, **kwargs):
        # An upsert would rewrite existing rows: only plain inserts are allowed.
        if update_conflicts:
            raise PermissionDenied(_("The audit trail cannot be changed."))
        return super().bulk_create(objs, *args, **kwargs)


class AuditEvent(models.Model):
    """One change that matters for fairness: who did what to whose data, when, why, before and after.

    Append-only: rows are never updated or deleted, by the ORM (see the queryset
    and ``save``) nor, on PostgreSQL, by SQL (a trigger refuses it).
    """

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("agency")
    )
    # Whose data changed (the diary's owner, the evaluated person), for filtering.
    person = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("person")
    )
    action = models.CharField(_("action"), max_length=40, db_index=True)
    object_type = models.CharField(_("object"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("object id"))
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")
        indexes = [
            models.Index(fields=["agency", "at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied(_("The audit trail cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(_("The audit trail cannot be changed."))

    @property
    def action_label(self) -> str:
        return str(AUDIT_ACTIONS.get(self.action, self.action))


class StaleMonth(models.Model):
    """An agency-month whose figures must be computed again (a durable outbox).

    Whatever changes a month's inputs (an approval, a return, a reopening, a
    rating, a flag) marks the month in the same transaction as the change, so a
    crash or a broker outage after the commit can never lose the recompute: the
    reports' sweeper finds the mark in the database. Each new change bumps
    ``generation`` (a counter, not a time: two clocks cannot order two changes);
    a recompute removes the mark only if its generation is still the one it read.
    """

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+", verbose_name=_("agency"))
    month = models.DateField(_("month"))
    marked_at = models.DateTimeField(_("marked at"))
    generation = models.PositiveIntegerField(_("changes since the last computation"), default=1)
    # Everyone's figures (working days, memberships changed), or only those of the ``StalePerson`` rows.
    whole = models.BooleanField(_("the whole month"), default=True)

    class Meta:
        verbose_name = _("month to recompute")
        verbose_name_plural = _("months to recompute")
        constraints = [
            models.UniqueConstraint(fields=["agency", "month"], name="stale_month_once"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="stale_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.month:%m/%Y}"


class StalePerson(models.Model):
    """A person whose figures of a stale month (``StaleMonth``, same agency and month) must be redone.

    Kept apart from the mark (no foreign key): the recompute deletes the mark only if its generation
    is unchanged, then these rows, in one transaction; a change arriving meanwhile waits for it.
    """

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+", verbose_name=_("agency"))
    month = models.DateField(_("month"))
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+", verbose_name=_("person"))

    class Meta:
        verbose_name = _("person to recompute")
        verbose_name_plural = _("people to recompute")
        constraints = [
            models.UniqueConstraint(fields=["agency", "month", "person"], name="stale_person_once")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.month:%m/%Y} {self.person_id}"


class LeaveKind(models.TextChoices):
    """Approved absences. A business trip is work, not leave: it is logged in the diary as usual."""

    ANNUAL = "annual", _("Annual leave")
    SICK = "sick", _("Sick leave")
    OTHER = "other", _("Other approved leave")


class Leave(models.Model):
    """An approved absence of a person, from ``start`` to ``end`` inclusive (the leave register).

    Only the agency's working days inside the range count (``org.leave.leave_days``): hours a day
    divide by the days actually worked, the working days minus these (SPEC.md "Hours worked").
    Two leaves of one person never overlap (``org.leave.leave_record`` checks it under a lock on
    the person); every change is written to the audit trail.
    """

    person = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="leaves", verbose_name=_("person")
    )
    # The agency whose calendar and figures the leave belongs to (the person's on the first day).
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+", verbose_name=_("agency"))
    start = models.DateField(_("from"))
    end = models.DateField(_("to"), help_text=_("The last day of leave (inclusive)."))
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=LeaveKind.choices,
        default=LeaveKind.ANNUAL,
        help_text=_("A business trip is not leave: it counts as work and is logged in the diary."),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-start", "person__full_name"]
        verbose_name = _("leave")
        verbose_name_plural = _("leave register")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="leave_ends_after_start",
                violation_error_message=_("The leave cannot end before it starts."),
            ),
        ]
        indexes = [models.Index(fields=["person", "start"]), models.Index(fields=["agency", "start"])]

    def __str__(self) -> str:
        return f"{self.person} {self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"
