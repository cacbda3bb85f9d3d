"""In-app notifications with an e-mail copy. A key makes each one idempotent."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from kpi_portal.tasks import enqueue

from .models import Notification, User


def notify(
    *, recipient: User, key: str, title: str, body: str = "", url: str = "", email: bool = True
) -> bool:
    """Create the notification ``key`` once; returns False when it already existed.

    The unique key, not a check-then-insert, is what makes two workers sending
    the same reminder at once leave one notification and one e-mail.
    """
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient, key=key, title=title[:200], body=body, url=url[:300]
            )
    except IntegrityError:
        return False
    if email and recipient.email:
        from .tasks import send_notification_email

        transaction.on_commit(lambda: enqueue(send_notification_email, notification.pk))
    return True
