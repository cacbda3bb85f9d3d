"""Flags carry their entry's agency (reports.services.PERSON_DAYS_SQL counts an agency's open flags in
one pass): added empty and filled from the entries here, required in 0006 (a transaction of its own:
PostgreSQL does not alter a table with the deferred checks of this one's updates pending)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0004_dismissed_suggestion"),
        ("org", "0012_supervision"),
        ("worklog", "0011_person_waiting_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="entryflag",
            name="agency",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="org.agency",
                verbose_name="agency",
            ),
        ),
        migrations.RunSQL(
            "UPDATE evidence_entryflag SET agency_id = "
            "(SELECT e.agency_id FROM worklog_diaryentry e WHERE e.id = evidence_entryflag.entry_id)",
            migrations.RunSQL.noop,
        ),
    ]
