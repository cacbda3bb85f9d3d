from django.urls import path

from . import leave_views, otp_views, views

app_name = "org"

urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/second-factor/", otp_views.person_second_factor, name="person_second_factor"),
    path("accounts/second-factor/", otp_views.otp_verify, name="otp_verify"),
    path("accounts/second-factor/setup/", otp_views.otp_enrol, name="otp_enrol"),
    path("delegations/", views.delegations, name="delegations"),
    path("delegations/new/", views.delegation_create, name="delegation_create"),
    path("delegations/<int:pk>/cancel/", views.delegation_cancel, name="delegation_cancel"),
    path("notifications/", views.notifications, name="notifications"),
    path("audit/", views.audit, name="audit"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path("leave/", leave_views.leave_list, name="leave"),
    path("leave/new/", leave_views.leave_create, name="leave_create"),
    path("leave/import/", leave_views.leave_import, name="leave_import"),
    path("leave/<int:pk>/delete/", leave_views.leave_delete, name="leave_delete"),
]
