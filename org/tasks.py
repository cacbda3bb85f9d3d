from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation

from .models import Notification


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_email(notification_id: int) -> None:
    """E-mail a copy of a notification. Retried when the mail server is unreachable."""
    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notification is None or not notification.recipient.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        body = notification.body
        if notification.url:
            body = f"{body}\n\n{settings.SITE_URL.rstrip('/')}{notification.url}"
        send_mail(notification.title, body, None, [notification.recipient.email])
