"""Evaluations are made in the application (where every rule and the audit apply); the admin reads them.

Only the task-result weights are edited here, by superusers; agency administrators use their own page,
where the general criteria's weights are changed too (the decree's 30 points are checked there). The
versions of the general criteria are data migrations: a decree's criteria never change once months
are scored on them.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kpi_portal.admin import ReadOnlyAdminMixin

from .models import (
    AnnualAppeal,
    AnnualRating,
    Appeal,
    CriteriaVersion,
    CriterionWeight,
    DisciplinaryMeasure,
    GeneralCriterion,
    MonthlyEvaluation,
    ScoringScheme,
)


class CriterionWeightInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CriterionWeight
    fields = ["criterion", "points"]
    readonly_fields = ["criterion", "points"]
    extra = 0


@admin.register(ScoringScheme)
class ScoringSchemeAdmin(SimpleHistoryAdmin):
    inlines = [CriterionWeightInline]
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


class GeneralCriterionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = GeneralCriterion
    fields = ["order", "key", "name", "description", "default_points"]
    readonly_fields = ["order", "key", "name", "description", "default_points"]
    extra = 0


@admin.register(CriteriaVersion)
class CriteriaVersionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "effective_from", "legal_basis"]
    inlines = [GeneralCriterionInline]


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


@admin.register(AnnualRating)
class AnnualRatingAdmin(ReadOnlyAdmin):
    list_display = ["person", "year", "agency", "group", "status", "proposed_rating", "decided_rating"]
    list_filter = ["year", "agency", "status", "decided_rating"]
    list_select_related = ["person", "agency"]
    search_fields = ["person__full_name", "person__username"]


@admin.register(AnnualAppeal)
class AnnualAppealAdmin(ReadOnlyAdmin):
    list_display = ["annual_rating", "filed_at", "status", "rating_before", "rating_after"]
    list_filter = ["status"]
    list_select_related = ["annual_rating__person"]
