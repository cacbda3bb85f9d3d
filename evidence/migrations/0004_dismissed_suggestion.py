"""Suggestions of the day page a person dismissed (one row per person and document or meeting)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0003_agency_recheck"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DismissedSuggestion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("dismissed_at", models.DateTimeField(auto_now_add=True, verbose_name="dismissed at")),
                (
                    "assignment",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="evidence.calendarassignment",
                        verbose_name="calendar assignment",
                    ),
                ),
                (
                    "document",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="evidence.outgoingdocument",
                        verbose_name="outgoing document",
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
                "verbose_name": "dismissed suggestion",
                "verbose_name_plural": "dismissed suggestions",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("assignment__isnull", False), ("document__isnull", True)),
                            models.Q(("assignment__isnull", True), ("document__isnull", False)),
                            _connector="OR",
                        ),
                        name="dismissed_one_item",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("document__isnull", False)),
                        fields=("person", "document"),
                        name="dismissed_document_once",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("assignment__isnull", False)),
                        fields=("person", "assignment"),
                        name="dismissed_assignment_once",
                    ),
                ],
            },
        ),
    ]
