"""In-app notifications with an e-mail copy. A key makes each one idempotent.

The e-mail copy is an outbox: ``Notification.email_pending`` is written with the notification, the
task sent after the commit delivers it, and ``emails_sweep`` (beat, every minute) delivers whatever a
broker outage or a dead worker left behind. Delivery is at least once: the row stays locked while
the mail goes out, so two deliverers never send it together, but a crash after sending and before
the commit sends it again (an e-mail twice rather than never).
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kpi_portal.tasks import enqueue
from kpi_portal.text import short_date

from .models import Delegation, Notification, User

logger = logging.getLogger(__name__)

SWEEP_BATCH = 200


def notify(
    *, recipient: User, key: str, title: str, body: str = "", url: str = "", email: bool = True
) -> bool:
    """Create the notification ``key`` once; returns False when it already existed.

    The unique key, not a check-then-insert, is what makes two workers sending
    the same reminder at once leave one notification and one e-mail.
    """
    pending = bool(email and recipient.email)
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                key=key,
                title=title[:200],
                body=body,
                url=url[:300],
                email_pending=pending,
            )
    except IntegrityError:
        return False
    if pending:
        from .tasks import send_notification_email

        transaction.on_commit(lambda: enqueue(send_notification_email, notification.pk))
    return True


def email_send(notification_id: int) -> bool:
    """Send the e-mail copy of a notification that still owes one; True when it went out now.

    A notification already sent, or being sent by another worker (its row locked), is skipped.
    A mail server that is down raises ``OSError``: nothing changes and the copy stays owed.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, email_pending=True)
            .first()
        )
        if notification is None:
            return False
        if notification.recipient.email:
            with translation.override(settings.LANGUAGE_CODE):
                body = notification.body
                if notification.url:
                    body = f"{body}\n\n{settings.SITE_URL.rstrip('/')}{notification.url}"
                send_mail(notification.title, body, None, [notification.recipient.email])
        Notification.objects.filter(pk=notification_id).update(email_pending=False)
    return True


def emails_sweep() -> int:
    """Send the e-mail copies still owed, oldest first; returns how many went out.

    Stops at the first mail-server error (the next sweep tries again) rather than waiting for a
    time-out once per e-mail.
    """
    owed = Notification.objects.filter(email_pending=True).order_by("created_at")
    sent = 0
    for notification_id in owed.values_list("pk", flat=True)[:SWEEP_BATCH]:
        try:
            sent += email_send(notification_id)
        except OSError:
            logger.warning("the mail server refused notification %s; the next sweep retries", notification_id)
            break
    return sent


# Delegations: both people are told when one starts, ends or is cancelled ---------------------------

# The beat task looks this many days back, so a day it missed (an outage) is made up; the keys keep
# each notice single.
DELEGATION_CATCH_UP_DAYS = 7


def _delegation_dates(delegation: Delegation) -> dict[str, str]:
    return {
        "delegator": delegation.delegator.get_full_name(),
        "delegate": delegation.delegate.get_full_name(),
        "start": short_date(delegation.start),
        "end": short_date(delegation.end),
    }


def delegation_started(delegation: Delegation) -> int:
    """Tell the delegate and the delegator that the delegation is in force; sent once (keys)."""
    names = _delegation_dates(delegation)
    told = [
        (
            delegation.delegate,
            _("You now review on behalf of %(delegator)s") % names,
            _(
                "%(delegator)s delegated their review to you from %(start)s to %(end)s: everything "
                "waiting for them, older entries included, is in your review queue."
            )
            % names,
        ),
        (
            delegation.delegator,
            _("%(delegate)s now reviews on your behalf") % names,
            _(
                "Your review is delegated to %(delegate)s from %(start)s to %(end)s. You keep your review "
                "queue and can still approve or return entries yourself."
            )
            % names,
        ),
    ]
    url = reverse("org:delegations")
    return sum(
        notify(
            recipient=recipient,
            key=f"delegation-started:{delegation.pk}:{recipient.pk}",
            title=title,
            body=body,
            url=url,
        )
        for recipient, title, body in told
    )


def _delegation_over(delegation: Delegation, *, kind: str, title: str, body: str) -> int:
    url = reverse("org:delegations")
    return sum(
        notify(
            recipient=recipient,
            key=f"delegation-{kind}:{delegation.pk}:{recipient.pk}",
            title=title,
            body=body,
            url=url,
        )
        for recipient in (delegation.delegate, delegation.delegator)
    )


def delegation_ended(delegation: Delegation) -> int:
    """Tell both people that the delegation ran out; sent once (keys)."""
    names = _delegation_dates(delegation)
    return _delegation_over(
        delegation,
        kind="ended",
        title=_("The review delegation from %(delegator)s to %(delegate)s has ended") % names,
        body=_("It ran from %(start)s to %(end)s. %(delegate)s no longer reviews on behalf of %(delegator)s.")
        % names,
    )


def delegation_cancelled(delegation: Delegation, *, by: User) -> int:
    """Tell both people that the delegation was cancelled (it stops from today); sent once (keys)."""
    names = {**_delegation_dates(delegation), "by": by.get_full_name()}
    return _delegation_over(
        delegation,
        kind="cancelled",
        title=_("The review delegation from %(delegator)s to %(delegate)s was cancelled") % names,
        body=_(
            "%(by)s cancelled the delegation from %(start)s to %(end)s. From today %(delegate)s no longer "
            "reviews on behalf of %(delegator)s."
        )
        % names,
    )


def _delegation_keys(kind: str, delegation: Delegation) -> set[str]:
    return {
        f"delegation-{kind}:{delegation.pk}:{recipient_id}"
        for recipient_id in (delegation.delegate_id, delegation.delegator_id)
    }


def delegations_notify(on: datetime.date | None = None) -> int:
    """The daily run: tell both people of each delegation that started or ended (the day after its
    last) in the last few days; returns how many notifications were new. Three queries when there is
    nothing new to tell.

    A delegation starting on the day it is created was announced then; the keys make this run send
    nothing twice. A cancelled delegation was announced when cancelled.
    """
    on = on or timezone.localdate()
    since = on - datetime.timedelta(days=DELEGATION_CATCH_UP_DAYS)
    started = list(
        Delegation.objects.in_force_on(on)
        .filter(start__range=(since, on))
        .select_related("delegator", "delegate")
    )
    ended = list(
        Delegation.objects.filter(
            end__range=(since, on - datetime.timedelta(days=1)), cancelled_at__isnull=True
        ).select_related("delegator", "delegate")
    )
    due = [("started", d, delegation_started) for d in started] + [
        ("ended", d, delegation_ended) for d in ended
    ]
    wanted = set().union(*(_delegation_keys(kind, d) for kind, d, _tell in due))
    told = set(Notification.objects.filter(key__in=wanted).values_list("key", flat=True))
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for kind, delegation, tell in due:
            if not _delegation_keys(kind, delegation) <= told:
                sent += tell(delegation)
    return sent
