from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evaluation"
    verbose_name = _("Review and scoring")

    def ready(self) -> None:
        from org import person_page

        from .person_section import evaluation_section

        person_page.register("evaluation", evaluation_section)
