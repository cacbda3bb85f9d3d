from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = _("Integration API")

    def ready(self) -> None:
        # Registers the key's security scheme with drf-spectacular.
        from . import schema  # noqa: F401
