"""Beat schedule of the stale-month sweeper; editable afterwards in the admin (Periodic tasks)."""

from django.db import migrations

NAME = "Tính lại số liệu các tháng vừa thay đổi (mỗi phút)"
TASK = "reports.tasks.sweep_stale_months"


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(name=NAME, defaults={"task": TASK, "interval": every_minute})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_person_month_flags"),
        ("org", "0005_stalemonth"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
