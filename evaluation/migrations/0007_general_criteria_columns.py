"""General criteria as data (docs/general-criteria.md): the old choice and weight columns go."""

import django.db.models.deletion
from django.db import migrations, models

OLD_WEIGHT_COLUMNS = ["politics", "ethics", "discipline", "attitude", "innovation"]


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0006_general_criteria_data"),
    ]

    operations = [
        migrations.RemoveField(model_name="criterionscore", name="criterion_key"),
        migrations.RemoveField(model_name="historicalcriterionscore", name="criterion_key"),
        migrations.AlterField(
            model_name="criterionscore",
            name="criterion",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="evaluation.generalcriterion",
                verbose_name="criterion",
            ),
        ),
        migrations.AlterField(
            model_name="monthlyevaluation",
            name="criteria_version",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="evaluation.criteriaversion",
                verbose_name="general criteria",
            ),
        ),
        migrations.AddConstraint(
            model_name="criterionscore",
            constraint=models.UniqueConstraint(
                fields=("evaluation", "criterion", "by"), name="criterion_scored_once"
            ),
        ),
        migrations.AlterModelOptions(
            name="criterionscore",
            options={
                "ordering": ["evaluation", "by", "criterion__order"],
                "verbose_name": "criterion score",
                "verbose_name_plural": "criterion scores",
            },
        ),
        migrations.RemoveConstraint(model_name="scoringscheme", name="scheme_points_add_up_to_100"),
        *(
            migrations.RemoveField(model_name=model, name=f"{key}_points")
            for model in ("scoringscheme", "historicalscoringscheme")
            for key in OLD_WEIGHT_COLUMNS
        ),
    ]
