"""Beat reminds reviewers and leaders of the annual ratings still to propose or decide (7:45 every day;
the task decides whether the agency's deadline is near); editable afterwards in the admin (Periodic tasks)."""

from django.db import migrations

from kpi_portal.tasks import on_schedule

NAME = "Nhắc đề xuất và quyết định xếp loại cuối năm (7:45 mỗi ngày, 7 ngày trước hạn)"
TASK = "evaluation.tasks.remind_annual_ratings"


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0009_annual_rating"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [on_schedule(NAME, TASK, minute="45", hour="7")]
