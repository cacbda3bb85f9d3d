from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CatalogImport, CatalogVersion, DeclaredTask, Stage, StandardTask


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0
    fields = ["order", "name", "norm_minutes"]


@admin.register(CatalogVersion)
class CatalogVersionAdmin(SimpleHistoryAdmin):
    list_display = ["agency", "number", "status", "effective_from", "published_at", "published_by"]
    list_filter = ["agency", "status"]
    list_select_related = ["agency", "published_by"]
    search_fields = ["agency__code", "note"]
    readonly_fields = ["created_at", "created_by", "published_at", "published_by"]


@admin.register(StandardTask)
class StandardTaskAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "group", "version", "evidence_kind", "active"]
    list_filter = ["agency", "group", "evidence_kind", "active", "version__status"]
    list_select_related = ["version__agency"]
    search_fields = ["code", "name", "description"]
    inlines = [StageInline]
    raw_id_fields = ["version"]


@admin.register(Stage)
class StageAdmin(SimpleHistoryAdmin):
    list_display = ["task", "order", "name", "norm_minutes"]
    list_filter = ["task__agency", "task__version__status"]
    list_select_related = ["task"]
    search_fields = ["name", "task__code", "task__name"]
    raw_id_fields = ["task"]


@admin.register(DeclaredTask)
class DeclaredTaskAdmin(SimpleHistoryAdmin):
    list_display = ["text", "agency", "unit", "standard_task", "source"]
    list_filter = ["agency", "unit"]
    list_select_related = ["agency", "unit", "standard_task"]
    search_fields = ["text", "standard_task__code"]
    raw_id_fields = ["standard_task", "person", "unit"]


@admin.register(CatalogImport)
class CatalogImportAdmin(admin.ModelAdmin):
    list_display = ["filename", "agency", "kind", "status", "created_at", "created_by"]
    list_filter = ["agency", "kind", "status"]
    list_select_related = ["agency", "created_by"]
    search_fields = ["filename"]
    exclude = ["content"]
    readonly_fields = [
        "agency",
        "kind",
        "filename",
        "status",
        "problems",
        "summary",
        "created_by",
        "applied_at",
    ]
