"""Beat's schedule of the monthly routine (hourly; idempotent), editable afterwards in the admin."""

from django.db import migrations

from kpi_portal.tasks import on_schedule

NAME = "Giao việc thường xuyên theo vị trí việc làm (mỗi giờ)"
TASK = "assignments.tasks.issue_recurring"


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [on_schedule(NAME, TASK, minute="5")]
