"""Large catalog imports run as background jobs (``catalog.import_jobs``): their progress on the
import, one unfinished job per agency, and beat's every-minute sweep of the stuck ones."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from kpi_portal.tasks import every_minute

SWEEP_NAME = "Xử lý các lần nhập danh mục chạy nền bị treo (mỗi phút)"
SWEEP_TASK = "catalog.import_jobs.sweep_import_jobs"


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="catalogimport",
            name="applied_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="imported by",
            ),
        ),
        migrations.AddField(
            model_name="catalogimport",
            name="background",
            field=models.BooleanField(default=False, verbose_name="in the background"),
        ),
        migrations.AddField(
            model_name="catalogimport",
            name="error",
            field=models.TextField(blank=True, verbose_name="error"),
        ),
        migrations.AddField(
            model_name="catalogimport",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="last sign of life"),
        ),
        migrations.AddField(
            model_name="catalogimport",
            name="language",
            field=models.CharField(blank=True, max_length=10, verbose_name="language"),
        ),
        migrations.AddField(
            model_name="catalogimport",
            name="problem_count",
            field=models.PositiveIntegerField(
                default=0,
                help_text="All of them; only the first ones are kept.",
                verbose_name="number of problems",
            ),
        ),
        migrations.AddField(
            model_name="catalogimport",
            name="progress",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="progress (%)"),
        ),
        migrations.AddField(
            model_name="catalogimport",
            name="queued_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="queued at"),
        ),
        migrations.AddField(
            model_name="catalogimport",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="started at"),
        ),
        migrations.AddField(
            model_name="catalogimport",
            name="step",
            field=models.CharField(blank=True, max_length=200, verbose_name="step"),
        ),
        migrations.AlterField(
            model_name="catalogimport",
            name="status",
            field=models.CharField(
                choices=[
                    ("previewed", "Checked, waiting for confirmation"),
                    ("rejected", "Has problems, not imported"),
                    ("applied", "Imported"),
                    ("checking", "Being checked"),
                    ("applying", "Being imported"),
                    ("failed", "Failed, not imported"),
                ],
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.AddConstraint(
            model_name="catalogimport",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["checking", "applying"])),
                fields=("agency",),
                name="catalog_import_one_unfinished",
            ),
        ),
        every_minute(SWEEP_NAME, SWEEP_TASK),
    ]
