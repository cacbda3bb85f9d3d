from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorklogConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "worklog"
    verbose_name = _("Work diary")

    def ready(self) -> None:
        from org import person_page

        from .person_section import diary_section

        person_page.register("worklog", diary_section)
