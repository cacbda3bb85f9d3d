from django.urls import path

from . import leave_views, views

app_name = "org"

urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person_detail, name="person"),
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
