"""A counter of the changes of a stale month: a recompute clears the mark only if no change came since."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0005_stalemonth'),
    ]

    operations = [
        migrations.AddField(
            model_name='stalemonth',
            name='generation',
            field=models.PositiveIntegerField(default=1, verbose_name='changes since the last computation'),
        ),
    ]
