"""In-app notifications with an e-mail copy. A key makes each one idempotent.

The e-mail copy is an outbox: ``Notification.email_pending`` is written with the notification, the
task sent after the commit delivers it, and ``emails_sweep`` (beat, every minute) delivers whatever a
broker outage or a dead worker left behind. Delivery is at least once: the row stays locked while
the mail goes out, so two deliverers never send it together, but a crash after sending and before
the commit sends it again (an e-mail twice rather than never).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import translation

from kpi_portal.tasks import enqueue

from .models import Notification, User

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
