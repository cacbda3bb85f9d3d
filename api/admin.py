"""API clients are created here by administrators; the key is shown once, in the page's message."""

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from org.models import Agency

from .models import ApiClient
from .services import api_client_new_key


def _show_key(request, client: ApiClient, key: str) -> None:
    messages.warning(
        request,
        format_html(
            gettext("The key of {client}, shown only this once (only its hash is kept): {key}"),
            client=client,
            key=format_html("<code>{}</code>", key),
        ),
    )


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "key_prefix", "is_active", "created_at", "last_used_at"]
    list_filter = ["is_active", "agency"]
    list_select_related = ["agency"]
    search_fields = ["name", "key_prefix", "agency__code"]
    readonly_fields = ["key_prefix", "created_at", "last_used_at"]
    actions = ["revoke", "new_key"]

    def _agencies(self, request) -> list[Agency]:
        return [a for a in Agency.objects.order_by("code") if request.user.has_perm("api.manage_clients", a)]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(agency__in=self._agencies(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency":
            kwargs["queryset"] = Agency.objects.filter(pk__in=[a.pk for a in self._agencies(request)])
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and bool(self._agencies(request))

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or request.user.has_perm("api.manage_clients", obj.agency))

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "agency", "is_active"]
        return ["name", "agency", "is_active", "key_prefix", "created_at", "last_used_at"]

    def get_readonly_fields(self, request, obj=None):
        # A client's agency never changes: its key would suddenly reach another agency's data.
        return [*self.readonly_fields, "agency"] if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        key = None if change else obj.issue_key()
        super().save_model(request, obj, form, change)
        if key:
            _show_key(request, obj, key)

    @admin.action(description=_("Revoke the selected clients' keys"))
    def revoke(self, request, queryset):
        count = queryset.update(is_active=False)
        self.message_user(
            request,
            ngettext("%(count)d client revoked.", "%(count)d clients revoked.", count) % {"count": count},
        )

    @admin.action(description=_("Issue a new key (the old one stops working)"))
    def new_key(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, gettext("Choose exactly one client."), level=messages.ERROR)
            return
        client = queryset.get()
        _show_key(request, client, api_client_new_key(client=client))
