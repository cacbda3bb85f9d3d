from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evidence"
    verbose_name = _("Evidence cross-check")

    def ready(self) -> None:
        from org import audit

        from .models import FlagKind

        audit.describe(
            fields={
                "justification": _("justification"),
                "kind": _("kind"),
                "detail": _("detail"),
                "cleared": _("cleared"),
                "file": _("file"),
                "rows": _("rows"),
                "created": _("added"),
                "updated": _("updated"),
                "unchanged": _("unchanged"),
            },
            values={("entryflag", "kind"): dict(FlagKind.choices)},
        )
        # The diary announces submissions; the cross-check runs in the same transaction.
        from worklog import extensions
        from worklog.signals import entries_submitted

        from .selectors import open_flags
        from .services import check_submitted

        # The day page shows each entry's open flags, with the form to justify them.
        extensions.add_entry_detail("evidence", prefetch=open_flags, template="evidence/_flags_owner.html")

        entries_submitted.connect(check_submitted, dispatch_uid="evidence.check_submitted")

        # The day page offers the day's uncited documents and meetings as one-click entries.
        from .suggestions import day_section

        extensions.add_day_section("evidence_suggestions", day_section)
