from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        # Every app's menu.py registers its items with org.menu (as django-rules imports rules.py).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("menu")

        from . import (
            audit,
            checks,  # noqa: F401  (registers the system checks)
            directory,
        )
        from .models import LeaveKind

        audit.describe(
            fields={
                "start": _("from"),
                "end": _("to"),
                "kind": _("kind"),
                "note": _("note"),
                # The second factor (org/otp.py).
                "authenticator_apps": _("authenticator apps"),
                "recovery_codes": _("recovery codes"),
                # Directory sign-in (org/directory.py).
                "unit": _("unit"),
                "is_head": _("unit head"),
                "roles": _("roles"),
                "full_name": _("full name"),
                "email": _("email address"),
            },
            values={("leave", "kind"): dict(LeaveKind.choices)},
            formatters={"roles": directory.roles_in_words},
        )
