from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import DayReopening, DiaryEntry


@admin.register(DiaryEntry)
class DiaryEntryAdmin(SimpleHistoryAdmin):
    list_display = ["date", "person", "task", "stage", "quantity", "standard_minutes", "status"]
    list_filter = ["status", "agency", "is_overtime"]
    list_select_related = ["person", "task", "stage"]
    search_fields = ["person__full_name", "person__username", "task__code", "description", "evidence_ref"]
    date_hierarchy = "date"
    raw_id_fields = ["person", "task", "stage", "unit", "reviewed_by"]
    readonly_fields = ["norm_minutes", "standard_minutes", "version", "created_at", "updated_at"]

    def has_delete_permission(self, request, obj=None):
        # Diary history is evidence for scores and appeals: entries are not deleted from the admin.
        return False


@admin.register(DayReopening)
class DayReopeningAdmin(SimpleHistoryAdmin):
    list_display = ["date", "person", "reopened_by", "reason", "created_at"]
    list_select_related = ["person", "reopened_by"]
    search_fields = ["person__full_name", "reason"]
    date_hierarchy = "date"
    raw_id_fields = ["person", "reopened_by"]
