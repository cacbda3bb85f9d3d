"""Beat schedule of the nightly evidence check; editable afterwards in the admin (Periodic tasks)."""

from django.db import migrations

from kpi_portal.tasks import on_schedule

NAME = "Đối chiếu nhật ký với văn bản đi và lịch công tác (2:00 hằng đêm)"
TASK = "evidence.tasks.recheck_all"


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [on_schedule(NAME, TASK, minute="0", hour="2")]
