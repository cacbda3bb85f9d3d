from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from org import audit

from . import selectors
from .models import DayReopening, DiaryEntry


@admin.register(DiaryEntry)
class DiaryEntryAdmin(admin.ModelAdmin):
    list_display = ["date", "person", "task", "stage", "quantity", "standard_minutes", "status"]
    list_filter = ["status", "agency", "is_overtime"]
    list_select_related = ["person", "task", "stage"]
    search_fields = ["person__full_name", "person__username", "task__code", "description", "evidence_ref"]
    date_hierarchy = "date"
    raw_id_fields = ["person", "task", "stage", "unit", "reviewed_by"]
    readonly_fields = ["norm_minutes", "standard_minutes", "version", "created_at", "updated_at", "history"]

    def has_delete_permission(self, request, obj=None):
        # Diary history is evidence for scores and appeals: entries are not deleted from the admin.
        return False

    @admin.display(description=_("History"))
    def history(self, obj: DiaryEntry) -> str:
        """The entry's audit events (its one history): when, who, what, why, before → after."""
        if obj.pk is None:
            return "—"

        def changes(event) -> str:
            before = dict(audit.shown(event, "before"))
            return "; ".join(
                f"{label}: {before.get(label, '—')} → {text}" if label in before else f"{label}: {text}"
                for label, text in audit.shown(event, "after")
            ) or "; ".join(f"{label}: {text}" for label, text in before.items())

        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "",
                "<li>{} · {} · {} · {}{}</li>",
                (
                    (
                        f"{timezone.localtime(event.at):%d/%m/%Y %H:%M}",
                        event.actor.get_full_name() if event.actor else _("system"),
                        event.action_label,
                        changes(event),
                        f" — {event.reason}" if event.reason else "",
                    )
                    for event in selectors.entry_history(obj)
                ),
            ),
        )


@admin.register(DayReopening)
class DayReopeningAdmin(SimpleHistoryAdmin):
    list_display = ["date", "person", "reopened_by", "reason", "created_at"]
    list_select_related = ["person", "reopened_by"]
    search_fields = ["person__full_name", "reason"]
    date_hierarchy = "date"
    raw_id_fields = ["person", "reopened_by"]
