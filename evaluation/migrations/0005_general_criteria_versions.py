"""General criteria as data, versioned by effective date (docs/general-criteria.md): the tables.

The data moves in 0006 and the old columns go in 0007: PostgreSQL refuses to alter a table in the
transaction that changed its rows, so schema, data and schema again are three migrations.
"""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0004_task_basis"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CriteriaVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=120, verbose_name="name")),
                ("legal_basis", models.CharField(max_length=255, verbose_name="legal basis")),
                ("effective_from", models.DateField(unique=True, verbose_name="effective from")),
            ],
            options={
                "verbose_name": "general criteria version",
                "verbose_name_plural": "general criteria versions",
                "ordering": ["effective_from"],
            },
        ),
        migrations.CreateModel(
            name="GeneralCriterion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.SlugField(max_length=30, unique=True, verbose_name="key")),
                ("order", models.PositiveSmallIntegerField(verbose_name="order")),
                ("name", models.CharField(max_length=255, verbose_name="name")),
                ("description", models.TextField(blank=True, verbose_name="description")),
                (
                    "default_points",
                    models.PositiveSmallIntegerField(
                        validators=[django.core.validators.MaxValueValidator(30)],
                        verbose_name="default points",
                    ),
                ),
                (
                    "version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="criteria",
                        to="evaluation.criteriaversion",
                        verbose_name="version",
                    ),
                ),
            ],
            options={
                "verbose_name": "general criterion",
                "verbose_name_plural": "general criteria",
                "ordering": ["version__effective_from", "order"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("version", "order"), name="criterion_order_once_a_version"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="CriterionWeight",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "points",
                    models.PositiveSmallIntegerField(
                        validators=[django.core.validators.MaxValueValidator(30)], verbose_name="points"
                    ),
                ),
                (
                    "criterion",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="evaluation.generalcriterion",
                        verbose_name="criterion",
                    ),
                ),
                (
                    "scheme",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="criterion_weights",
                        to="evaluation.scoringscheme",
                        verbose_name="weights",
                    ),
                ),
            ],
            options={
                "verbose_name": "criterion weight",
                "verbose_name_plural": "criterion weights",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("scheme", "criterion"), name="criterion_weight_once_a_scheme"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("points__lte", 30)), name="criterion_weight_within_30"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalCriterionWeight",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "points",
                    models.PositiveSmallIntegerField(
                        validators=[django.core.validators.MaxValueValidator(30)], verbose_name="points"
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "criterion",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="evaluation.generalcriterion",
                        verbose_name="criterion",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "scheme",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="evaluation.scoringscheme",
                        verbose_name="weights",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical criterion weight",
                "verbose_name_plural": "historical criterion weights",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name="monthlyevaluation",
            name="criteria_version",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="evaluation.criteriaversion",
                verbose_name="general criteria",
            ),
        ),
        migrations.AddField(
            model_name="historicalmonthlyevaluation",
            name="criteria_version",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="evaluation.criteriaversion",
                verbose_name="general criteria",
            ),
        ),
        migrations.RemoveConstraint(model_name="criterionscore", name="criterion_scored_once"),
        migrations.RenameField(model_name="criterionscore", old_name="criterion", new_name="criterion_key"),
        migrations.RenameField(
            model_name="historicalcriterionscore", old_name="criterion", new_name="criterion_key"
        ),
        migrations.AddField(
            model_name="criterionscore",
            name="criterion",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="evaluation.generalcriterion",
                verbose_name="criterion",
            ),
        ),
        migrations.AddField(
            model_name="historicalcriterionscore",
            name="criterion",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="evaluation.generalcriterion",
                verbose_name="criterion",
            ),
        ),
    ]
