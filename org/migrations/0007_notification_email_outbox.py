"""The e-mail copy of a notification becomes an outbox, and beat sweeps it every minute.

Notifications made before this migration are taken as sent (their task ran or was lost long ago).
"""

from django.db import migrations, models

NAME = "Gửi lại thư thông báo chưa gửi được (mỗi phút)"
TASK = "org.tasks.sweep_notification_emails"


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(name=NAME, defaults={"task": TASK, "interval": every_minute})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


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
        migrations.RunPython(create, remove),
    ]
