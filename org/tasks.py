import datetime

from celery import shared_task
from django.db import OperationalError

from . import notifications


@shared_task(acks_late=True, autoretry_for=(OSError, OperationalError), retry_backoff=True, max_retries=5)
def send_notification_email(notification_id: int) -> bool:
    """E-mail the copy of a notification. Retried when the mail server is unreachable."""
    return notifications.email_send(notification_id)


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def sweep_notification_emails() -> int:
    """Beat runs it every minute: the e-mail copies a broker outage or a dead worker left unsent."""
    return notifications.emails_sweep()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def notify_delegations(on: str | None = None) -> int:
    """Beat runs it every morning: both people of a delegation that starts or ended are told."""
    return notifications.delegations_notify(datetime.date.fromisoformat(on) if on else None)
