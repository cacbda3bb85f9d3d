"""Beat schedules for the diary reminders; editable afterwards in the admin (Periodic tasks)."""

from django.db import migrations

SCHEDULES = [
    # (name, task, minute, hour, day_of_week)
    ("Nhắc kê khai nhật ký (16:30 mỗi ngày làm việc)", "worklog.tasks.remind_missing_entries", "30", "16", "1-5"),
    ("Nhắc duyệt nhật ký chờ quá 2 ngày (8:00 thứ Hai)", "worklog.tasks.remind_stale_approvals", "0", "8", "1"),
]


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minute, hour, day_of_week in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week=day_of_week,
            day_of_month="*",
            month_of_year="*",
            timezone="Asia/Ho_Chi_Minh",
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab})


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, *_ in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("worklog", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
