"""Beat schedule of the report-job sweeper; editable afterwards in the admin (Periodic tasks).

``/healthz/`` reads this task's last run to tell whether beat is ticking.
"""

from django.db import migrations

from kpi_portal.tasks import every_minute

NAME = "Dọn các báo cáo bị treo và tệp báo cáo cũ (mỗi phút)"
TASK = "reports.tasks.sweep_report_jobs"


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0006_report_job_heartbeat_one_unfinished"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [every_minute(NAME, TASK)]
