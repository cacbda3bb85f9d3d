"""Handbook PDFs kept per version (``HandbookFile``) and beat's every-minute sweep of their jobs."""

import django.db.models.deletion
from django.db import migrations, models

from kpi_portal.tasks import every_minute

SWEEP_NAME = "Dọn các tệp PDF cẩm nang KPI bị treo hoặc không còn dùng (mỗi phút)"
SWEEP_TASK = "catalog.handbook_jobs.sweep_handbook_files"


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_import_jobs"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.CreateModel(
            name="HandbookFile",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("language", models.CharField(default="vi", max_length=10, verbose_name="language")),
                ("content_key", models.CharField(max_length=64, verbose_name="content fingerprint")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "Waiting"),
                            ("running", "Being prepared"),
                            ("done", "Ready"),
                            ("failed", "Failed"),
                        ],
                        default="queued",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("progress", models.PositiveSmallIntegerField(default=0, verbose_name="progress (%)")),
                ("step", models.CharField(blank=True, max_length=200, verbose_name="step")),
                (
                    "heartbeat_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="last sign of life"),
                ),
                ("file", models.FileField(blank=True, upload_to="handbooks/%Y/%m/", verbose_name="file")),
                ("error", models.TextField(blank=True, verbose_name="error")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="requested at")),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="finished at")),
                (
                    "version",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="handbook_files",
                        to="catalog.catalogversion",
                        verbose_name="catalog version",
                    ),
                ),
            ],
            options={
                "verbose_name": "handbook PDF",
                "verbose_name_plural": "handbook PDFs",
                "ordering": ["-created_at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["version", "language", "content_key"], name="handbook_file_content_idx"
                    )
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("progress__lte", 100)), name="handbook_file_progress_percent"
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("status__in", ["queued", "running"])),
                        fields=("version", "language", "content_key"),
                        name="handbook_file_one_unfinished",
                    ),
                ],
            },
        ),
        every_minute(SWEEP_NAME, SWEEP_TASK),
    ]
