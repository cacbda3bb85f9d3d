"""UnitMonth.person_days: the days the people counted actually worked (working days less leave), the
divisor of a unit's average hours a day. Rows computed before carry working days × headcount (no leave
was recorded then); the next recompute of a month writes the exact figure."""

from django.db import migrations, models
from django.db.models import F


def fill(apps, schema_editor):
    UnitMonth = apps.get_model("reports", "UnitMonth")
    UnitMonth.objects.update(person_days=F("working_days") * F("headcount"))


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0009_send_reminder_schedule"),
    ]

    operations = [
        migrations.AddField(
            model_name="unitmonth",
            name="person_days",
            field=models.PositiveIntegerField(default=0, verbose_name="days worked by the people counted"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
