from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Assignment, RecurringAssignment


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["person", "task", "stage", "quantity", "due_date", "status", "assigned_by"]
    list_filter = ["status", "agency"]
    search_fields = ["person__full_name", "task__code", "source"]
    raw_id_fields = ["person", "task", "stage", "unit", "recurring", "assigned_by"]
    date_hierarchy = "due_date"


@admin.register(RecurringAssignment)
class RecurringAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["agency", "position", "task_code", "stage_order", "quantity", "active"]
    list_filter = ["agency", "active"]
    raw_id_fields = ["created_by"]
