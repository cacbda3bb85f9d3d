"""Beat schedule of the stale-month sweeper; editable afterwards in the admin (Periodic tasks)."""

from django.db import migrations

from kpi_portal.tasks import every_minute

NAME = "Tính lại số liệu các tháng vừa thay đổi (mỗi phút)"
TASK = "reports.tasks.sweep_stale_months"


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_person_month_flags"),
        ("org", "0005_stalemonth"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [every_minute(NAME, TASK)]
