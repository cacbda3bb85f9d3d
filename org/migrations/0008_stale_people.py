"""Stale months name the people to recompute, so an approval redoes one person's row and the totals."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0007_notification_email_outbox"),
    ]

    operations = [
        migrations.AddField(
            model_name="stalemonth",
            name="whole",
            field=models.BooleanField(default=True, verbose_name="the whole month"),
        ),
        migrations.CreateModel(
            name="StalePerson",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField(verbose_name="month")),
                (
                    "agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="org.agency",
                        verbose_name="agency",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="person",
                    ),
                ),
            ],
            options={
                "verbose_name": "person to recompute",
                "verbose_name_plural": "people to recompute",
                "constraints": [
                    models.UniqueConstraint(fields=("agency", "month", "person"), name="stale_person_once")
                ],
            },
        ),
    ]
