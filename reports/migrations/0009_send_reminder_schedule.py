"""Beat reminds HR of last month's results not sent to the Department of Home Affairs (7:30 every day;
the task decides whether it is time); editable afterwards in the admin (Periodic tasks)."""

from django.db import migrations

from kpi_portal.tasks import on_schedule

NAME = "Nhắc gửi kết quả tháng cho Sở Nội vụ (7:30 mỗi ngày, từ 3 ngày trước hạn 25)"
TASK = "reports.tasks.remind_results_to_send"


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0008_month_sent"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [on_schedule(NAME, TASK, minute="30", hour="7")]
