"""The e-mail copy of a notification becomes an outbox, and beat sweeps it every minute.

Notifications made before this migration are taken as sent (their task ran or was lost long ago).
"""

from django.db import migrations, models

from kpi_portal.tasks import every_minute

NAME = "Gửi lại thư thông báo chưa gửi được (mỗi phút)"
TASK = "org.tasks.sweep_notification_emails"


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0006_stale_month_generation"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="email_pending",
            field=models.BooleanField(default=False, verbose_name="e-mail copy not sent yet"),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(("email_pending", True)),
                fields=["created_at"],
                name="notification_email_pending",
            ),
        ),
        every_minute(NAME, TASK),
    ]
