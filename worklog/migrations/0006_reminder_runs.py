"""Reminder runs per agency and day, so that a missed run is made up; the weekly reminder to reviewers
runs every working morning (it is still sent once a week: its key is the reviewer and the week)."""

import django.db.models.deletion
from django.db import migrations, models

OLD_NAME = "Nhắc duyệt nhật ký chờ quá 2 ngày (8:00 thứ Hai)"
NEW_NAME = "Nhắc duyệt nhật ký chờ quá 2 ngày (mỗi tuần một lần, thử lúc 8:00 mỗi ngày làm việc)"


def schedule(apps, old, new, day_of_week):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="8", day_of_week=day_of_week, day_of_month="*", month_of_year="*",
        timezone="Asia/Ho_Chi_Minh",
    )  # fmt: skip
    PeriodicTask.objects.filter(name=old).update(name=new, crontab=crontab)


def every_working_morning(apps, schema_editor):
    schedule(apps, OLD_NAME, NEW_NAME, "1-5")


def mondays_only(apps, schema_editor):
    schedule(apps, NEW_NAME, OLD_NAME, "1")


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0007_notification_email_outbox"),
        ("worklog", "0005_entry_client_token"),
        ("worklog", "0002_reminder_schedules"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReminderRun",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField(verbose_name="day")),
                ("done_at", models.DateTimeField(auto_now_add=True, verbose_name="done at")),
                (
                    "agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="org.agency",
                        verbose_name="agency",
                    ),
                ),
            ],
            options={
                "verbose_name": "diary reminder run",
                "verbose_name_plural": "diary reminder runs",
                "constraints": [models.UniqueConstraint(fields=("agency", "day"), name="reminder_run_once")],
            },
        ),
        migrations.RunPython(every_working_morning, mondays_only),
    ]
