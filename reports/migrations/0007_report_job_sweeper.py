"""Beat schedule of the report-job sweeper; editable afterwards in the admin (Periodic tasks).

``/healthz/`` reads this task's last run to tell whether beat is ticking.
"""

from django.db import migrations

NAME = "Dọn các báo cáo bị treo và tệp báo cáo cũ (mỗi phút)"
TASK = "reports.tasks.sweep_report_jobs"


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(name=NAME, defaults={"task": TASK, "interval": every_minute})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0006_report_job_heartbeat_one_unfinished"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
