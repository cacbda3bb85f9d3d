from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assignments"
    verbose_name = _("Assignments")

    def ready(self) -> None:
        from org import audit

        from .models import AssignmentStatus

        audit.describe(
            fields={
                "task": _("task"),
                "stage": _("stage"),
                "quantity": _("products expected"),
                "due_date": _("due date"),
                "position": _("job position"),
                "active": _("in use"),
            },
            values={("assignment", "status"): dict(AssignmentStatus.choices)},
        )
