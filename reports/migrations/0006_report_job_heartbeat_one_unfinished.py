"""A heartbeat on report jobs, and at most one unfinished job per report (kind, agency, period, person)."""

import django.db.models.functions.comparison
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

UNFINISHED = ["queued", "running"]


def fail_duplicates(apps, schema_editor):
    # Jobs asked for twice before the constraint existed: the newest stays, the others fail.
    ReportJob = apps.get_model("reports", "ReportJob")
    seen = set()
    for job in ReportJob.objects.filter(status__in=UNFINISHED).order_by("-created_at", "-pk"):
        key = (job.kind, job.agency_id, job.period, job.person_id)
        if key in seen:
            ReportJob.objects.filter(pk=job.pk).update(status="failed", step="", finished_at=timezone.now())
        seen.add(key)


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0005_stalemonth"),
        ("reports", "0005_stale_month_sweeper"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="reportjob",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="last sign of life"),
        ),
        migrations.RunPython(fail_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="reportjob",
            constraint=models.UniqueConstraint(
                models.F("kind"),
                models.F("agency"),
                models.F("period"),
                django.db.models.functions.comparison.Coalesce("person", models.Value(0)),
                condition=models.Q(("status__in", UNFINISHED)),
                name="report_job_one_unfinished",
            ),
        ),
    ]
