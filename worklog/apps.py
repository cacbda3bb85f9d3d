from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorklogConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "worklog"
    verbose_name = _("Work diary")

    def ready(self) -> None:
        from org import audit

        from .models import EntryStatus

        audit.describe(
            fields={
                "status": _("status"),
                "major_errors": _("major errors"),
                "delays": _("delays"),
                "objective_cause": _("objective cause"),
                # What the owner writes (``services.CONTENT_FIELDS``): the entry's history shows its edits.
                "date": _("date"),
                "stage": _("stage"),
                "quantity": _("quantity"),
                "norm_minutes": _("norm (minutes)"),
                "standard_minutes": _("standard minutes"),
                "estimate_minutes": _("my estimate (minutes)"),
                "description": _("description"),
                "evidence_ref": _("evidence"),
                "assignment": _("counts toward the assignment"),
            },
            values={("diaryentry", "status"): dict(EntryStatus.choices)},
        )
        from org import person_page

        from .person_section import (
            diary_section,
            missing_days_section,
            open_assignments_section,
            returned_section,
        )

        person_page.register("worklog", diary_section)
        person_page.home_page.register("open_assignments", open_assignments_section)
        person_page.home_page.register("missing_days", missing_days_section)
        person_page.home_page.register("returned", returned_section)
        from catalog import usage

        from .selectors import stage_usage

        usage.register("diary_entries", stage_usage)
