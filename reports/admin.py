"""Report jobs are asked for in the application; the admin reads them, to see what failed or is waiting.

Stuck jobs are failed by the sweeper (``reports.jobs.jobs_sweep``), never edited by hand.
"""

from django.contrib import admin

from kpi_portal.admin import ReadOnlyAdminMixin

from .models import ReportJob


@admin.register(ReportJob)
class ReportJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "pk",
        "kind",
        "agency",
        "period",
        "person",
        "requested_by",
        "status",
        "progress",
        "created_at",
        "heartbeat_at",
        "finished_at",
    ]
    list_filter = ["status", "kind", "agency", "period"]
    list_select_related = ["agency", "person", "requested_by"]
    search_fields = ["person__full_name", "requested_by__full_name", "agency__code"]
    date_hierarchy = "created_at"
