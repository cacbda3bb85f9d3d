from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from kpi_portal.admin import ReadOnlyAdminMixin

from .models import (
    Agency,
    AuditEvent,
    CalendarOverride,
    Delegation,
    Leave,
    Membership,
    Notification,
    Province,
    RoleAssignment,
    Supervision,
    Unit,
    User,
)
from .supervision import supervision_save


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit"]
    fields = ["unit", "is_head", "start", "end"]


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    fields = ["role", "agency", "province"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "position", "email", "is_active"]
    list_filter = ["is_active", "is_staff", "is_superuser", "memberships__unit__agency"]
    search_fields = ["username", "full_name", "email", "position"]
    ordering = ["full_name"]
    inlines = [MembershipInline, RoleAssignmentInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "position", "email")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "position", "email", "password1", "password2"),
            },
        ),
    )


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "province", "backdate_working_days", "daily_cap_minutes"]
    list_filter = ["province"]
    search_fields = ["code", "name"]


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "agency", "parent"]
    list_filter = ["agency"]
    list_select_related = ["agency", "parent"]
    search_fields = ["code", "name", "agency__code"]
    autocomplete_fields = ["parent"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["person", "unit", "is_head", "start", "end"]
    list_filter = ["unit__agency", "is_head"]
    list_select_related = ["person", "unit"]
    search_fields = ["person__full_name", "person__username", "unit__name"]
    autocomplete_fields = ["person", "unit"]
    date_hierarchy = "start"


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["person", "role", "agency", "province"]
    list_filter = ["role", "agency"]
    list_select_related = ["person", "agency", "province"]
    search_fields = ["person__full_name", "person__username"]
    autocomplete_fields = ["person"]


@admin.register(Delegation)
class DelegationAdmin(SimpleHistoryAdmin):
    list_display = ["delegator", "delegate", "start", "end", "reason", "cancelled_at"]
    list_select_related = ["delegator", "delegate"]
    search_fields = ["delegator__full_name", "delegate__full_name"]
    autocomplete_fields = ["delegator", "delegate"]
    readonly_fields = ["created_at", "created_by", "cancelled_at", "cancelled_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Supervision)
class SupervisionAdmin(SimpleHistoryAdmin):
    """The units of each deputy director's field; saved through ``org.supervision`` (checked, audited).

    A unit leaves a field with an end date, never by deleting the row: past months keep their field.
    """

    list_display = ["person", "unit", "start", "end", "note"]
    list_filter = ["unit__agency"]
    list_select_related = ["person", "unit"]
    search_fields = ["person__full_name", "person__username", "unit__name", "unit__code"]
    autocomplete_fields = ["person", "unit"]
    date_hierarchy = "start"

    def save_model(self, request, obj, form, change):
        supervision_save(supervision=obj, by=request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(SimpleHistoryAdmin):
    list_display = ["date", "is_working_day", "reason", "agency"]
    list_filter = ["is_working_day", "agency"]
    search_fields = ["reason"]
    date_hierarchy = "date"


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "title", "read_at"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__full_name", "title", "key"]
    readonly_fields = ["recipient", "key", "title", "body", "url", "created_at", "read_at"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the audit trail is never added to, changed or deleted by hand."""

    list_display = ["at", "actor", "action", "person", "agency", "reason"]
    list_filter = ["agency", "action"]
    list_select_related = ["actor", "person", "agency"]
    search_fields = ["person__full_name", "actor__full_name", "reason"]
    date_hierarchy = "at"


@admin.register(Leave)
class LeaveAdmin(admin.ModelAdmin):
    """Read here; recorded, deleted and imported on the leave register's pages (audited)."""

    list_display = ["person", "agency", "start", "end", "kind"]
    list_filter = ["agency", "kind"]
    list_select_related = ["person", "agency"]
    search_fields = ["person__full_name", "person__username"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
