from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _field_label(model, name: str):
    field = model._meta.get_field(name)
    return getattr(field, "verbose_name", name)


class EvaluationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evaluation"
    verbose_name = _("Review and scoring")

    def ready(self) -> None:
        from org import audit

        from .audit import criteria_points
        from .models import AppealStatus, EvaluationStatus, Rating, ScoringScheme, TaskBasis
        from .services.schemes import SCHEME_FIELDS

        audit.describe(
            fields={
                "status": _("status"),
                "rating": _("rating"),
                "task_score": _("task results"),
                "general_score": _("general criteria"),
                "total_score": _("score"),
                "score": _("score"),
                "points": _("supervisor's points"),
                "self_points": _("self-assessment points"),
                "general_criteria": _("general criteria"),
                "decided_on": _("decided on"),
                "description": _("measure and decision number"),
                **{name: _field_label(ScoringScheme, name) for name in SCHEME_FIELDS},
            },
            values={
                ("monthlyevaluation", "status"): dict(EvaluationStatus.choices),
                ("monthlyevaluation", "rating"): dict(Rating.choices),
                ("appeal", "status"): dict(AppealStatus.choices),
                ("appeal", "rating"): dict(Rating.choices),
                ("scoringscheme", "task_basis"): dict(TaskBasis.choices),
            },
            formatters={
                "points": criteria_points,
                "self_points": criteria_points,
                "general_criteria": criteria_points,
            },
        )
        from org import person_page

        from .person_section import evaluation_section, self_assessment_section

        person_page.register("evaluation", evaluation_section)
        person_page.home_page.register("self_assessment", self_assessment_section)
