from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # The figures follow every change the lower apps announce (org.figures).
        from org.signals import figures_changed

        from .tasks import nudge_recompute

        figures_changed.connect(nudge_recompute, dispatch_uid="reports.nudge_recompute")
        # ... and the organisation changes that alter computed months (working days, memberships).
        from . import receivers

        receivers.connect()
        from org import audit

        audit.describe(fields={"month": _("month")})
