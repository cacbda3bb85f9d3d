"""The diary entry's django-simple-history table goes: its rows are audit events since ``0009``."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("worklog", "0009_diary_history_to_audit"),
    ]

    operations = [
        migrations.DeleteModel(
            name="HistoricalDiaryEntry",
        ),
    ]
