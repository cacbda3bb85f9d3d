"""Beat tells both people of a delegation when it starts and when it has ended (7:00 every day);
editable afterwards in the admin (Periodic tasks)."""

from django.db import migrations

from kpi_portal.tasks import on_schedule

NAME = "Thông báo ủy quyền duyệt bắt đầu, kết thúc (7:00 mỗi ngày)"
TASK = "org.tasks.notify_delegations"


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0008_stale_people"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [on_schedule(NAME, TASK, minute="0", hour="7")]
