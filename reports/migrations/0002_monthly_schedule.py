"""Beat schedule of the monthly figures; editable afterwards in the admin (Periodic tasks)."""

from django.db import migrations

from kpi_portal.tasks import on_schedule

NAME = "Tính số liệu tháng trước (6:00 mỗi ngày; chạy vào ngày làm việc đầu tiên của tháng)"
TASK = "reports.tasks.compute_previous_month"


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [on_schedule(NAME, TASK, minute="0", hour="6")]
