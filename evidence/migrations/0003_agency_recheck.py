"""The evidence check becomes an outbox per agency, and beat sweeps it every minute."""

import django.db.models.deletion
from django.db import migrations, models

from kpi_portal.tasks import every_minute

NAME = "Đối chiếu lại nhật ký còn chờ (mỗi phút)"
TASK = "evidence.tasks.sweep_rechecks"


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0002_nightly_check"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("org", "0007_notification_email_outbox"),
    ]

    operations = [
        migrations.CreateModel(
            name="AgencyRecheck",
            fields=[
                (
                    "agency",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="org.agency",
                        verbose_name="agency",
                    ),
                ),
                (
                    "requested_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="check requested at"),
                ),
                ("checked_at", models.DateTimeField(blank=True, null=True, verbose_name="last checked at")),
            ],
            options={
                "verbose_name": "evidence check of an agency",
                "verbose_name_plural": "evidence checks of agencies",
            },
        ),
        every_minute(NAME, TASK),
    ]
