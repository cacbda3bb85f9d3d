"""Writes to the organisation. Each service validates, saves and records who acted."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kpi_portal.history import set_history_user

from . import notifications, selectors
from .models import Delegation, Membership, Unit, User

MAX_DELEGATION_DAYS = 366


@transaction.atomic
def membership_add(
    *,
    person: User,
    unit: Unit,
    start: datetime.date,
    end: datetime.date | None = None,
    is_head: bool = False,
) -> Membership:
    """Place a person in a unit from ``start``; refuses overlaps with their other memberships."""
    # Serialise writes for one person so two overlapping memberships cannot both pass the check.
    User.objects.select_for_update().filter(pk=person.pk).first()
    membership = Membership(person=person, unit=unit, start=start, end=end, is_head=is_head)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def person_transfer(*, person: User, unit: Unit, on: datetime.date, is_head: bool = False) -> Membership:
    """Move a person to ``unit`` from date ``on``; the previous membership ends the day before.

    The old membership is kept, so everything dated before ``on`` still belongs
    to the old unit and its reviewer.
    """
    User.objects.select_for_update().filter(pk=person.pk).first()
    current = selectors.membership_on(person, on)
    if current is not None:
        if current.start >= on:
            raise ValidationError(_("A transfer must start after the current membership began."))
        current.end = on - datetime.timedelta(days=1)
        current.full_clean()
        current.save(update_fields=["end"])
    membership = Membership(person=person, unit=unit, start=on, is_head=is_head)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def delegation_create(
    *,
    delegator: User,
    delegate: User,
    start: datetime.date,
    end: datetime.date,
    reason: str,
    by: User,
) -> Delegation:
    """Hand ``delegator``'s review rights to ``delegate`` from ``start`` to ``end`` inclusive.

    While it is in force both review what the delegator reviews, older waiting entries included
    (``selectors.Reviewers``); both are notified when it starts, ends or is cancelled.
    """
    # Lock the delegator so two simultaneous requests cannot create overlapping delegations.
    User.objects.select_for_update().filter(pk=delegator.pk).first()
    today = selectors.today()
    errors: dict[str, list[str]] = {}
    if not delegator.has_perm("org.delegate_review"):
        raise PermissionDenied(_("Only a unit head or an agency leader can delegate review."))
    if start < today:
        errors.setdefault("start", []).append(_("A delegation cannot start in the past."))
    if end < start:
        errors.setdefault("end", []).append(_("The end date cannot be before the start date."))
    elif (end - start).days >= MAX_DELEGATION_DAYS:
        errors.setdefault("end", []).append(_("A delegation can last at most one year."))
    if delegate.pk == delegator.pk:
        errors.setdefault("delegate", []).append(_("You cannot delegate to yourself."))
    elif not selectors.delegate_candidates(delegator, today).filter(pk=delegate.pk).exists():
        errors.setdefault("delegate", []).append(_("The delegate must be a current member of your agency."))
    if not errors:
        overlapping = Delegation.objects.filter(
            delegator=delegator, start__lte=end, end__gte=start, cancelled_at__isnull=True
        ).first()
        if overlapping is not None:
            errors.setdefault("start", []).append(
                _("You already delegated to %(name)s from %(start)s to %(end)s.")
                % {
                    "name": overlapping.delegate,
                    "start": overlapping.start.strftime("%d/%m/%Y"),
                    "end": overlapping.end.strftime("%d/%m/%Y"),
                }
            )
    if errors:
        raise ValidationError(errors)
    delegation = Delegation(
        delegator=delegator, delegate=delegate, start=start, end=end, reason=reason.strip(), created_by=by
    )
    delegation.full_clean()
    set_history_user(delegation, by=by)
    delegation.save()
    if delegation.start <= today:
        # In force from now: both are told at once (a later start is announced by the daily run).
        notifications.delegation_started(delegation)
    return delegation


@transaction.atomic
def delegation_cancel(*, delegation: Delegation, by: User) -> Delegation:
    """Cancel a delegation from now on; days already past keep the delegate as reviewer. Both are told."""
    delegation = (
        Delegation.objects.select_for_update(of=("self",))
        .select_related("delegator", "delegate")
        .get(pk=delegation.pk)
    )
    if delegation.is_cancelled:
        raise ValidationError(_("This delegation was already cancelled."))
    if delegation.end < selectors.today():
        raise ValidationError(_("This delegation has already ended."))
    delegation.cancelled_at = timezone.now()
    delegation.cancelled_by = by
    set_history_user(delegation, by=by)
    delegation.save(update_fields=["cancelled_at", "cancelled_by"])
    notifications.delegation_cancelled(delegation, by=by)
    return delegation
