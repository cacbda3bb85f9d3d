from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "review"
    verbose_name = _("Review of entries")

    def ready(self) -> None:
        from org import person_page

        from .home import queue_section

        person_page.home_page.register("review_queue", queue_section)
