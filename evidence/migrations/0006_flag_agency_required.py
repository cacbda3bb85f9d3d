"""The flag's agency, filled in 0005, is required; an agency's open flags get an index."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("evidence", "0005_flag_agency")]

    operations = [
        migrations.AlterField(
            model_name="entryflag",
            name="agency",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="org.agency",
                verbose_name="agency",
            ),
        ),
        migrations.AddIndex(
            model_name="entryflag",
            index=models.Index(
                condition=models.Q(("cleared_at__isnull", True), ("resolved_at__isnull", True)),
                fields=["agency", "entry"],
                name="flag_open_by_agency_idx",
            ),
        ),
    ]
