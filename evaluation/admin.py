"""Evaluations are made in the application (where every rule and the audit apply); the admin reads them.

Only the weights are edited here, by superusers; agency administrators use their own page.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kpi_portal.admin import ReadOnlyAdminMixin

from .models import Appeal, DisciplinaryMeasure, MonthlyEvaluation, ScoringScheme


@admin.register(ScoringScheme)
class ScoringSchemeAdmin(SimpleHistoryAdmin):
    list_display = [
        "agency",
        "quantity_points",
        "quality_points",
        "progress_points",
        "unit_points",
        "appeal_days",
    ]
    list_select_related = ["agency"]
    readonly_fields = ["version"]


class ReadOnlyAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    pass


@admin.register(MonthlyEvaluation)
class MonthlyEvaluationAdmin(ReadOnlyAdmin):
    list_display = ["person", "month", "agency", "unit", "status", "total_score", "rating"]
    list_filter = ["agency", "month", "status", "rating"]
    list_select_related = ["person", "agency", "unit"]
    search_fields = ["person__full_name", "person__username"]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ["evaluation", "filed_at", "status", "rating_before", "rating_after"]
    list_filter = ["status"]
    list_select_related = ["evaluation__person"]


@admin.register(DisciplinaryMeasure)
class DisciplinaryMeasureAdmin(ReadOnlyAdmin):
    list_display = ["person", "agency", "decided_on", "description"]
    list_select_related = ["person", "agency"]
