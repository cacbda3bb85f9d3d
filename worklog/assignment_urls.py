"""The assignment pages (``assignment_views``), under /assignments/ with the namespace ``assignments``."""

from django.urls import path

from . import assignment_views as views

app_name = "assignments"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/change/", views.change, name="change"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("routine/<str:code>/", views.recurring, name="recurring"),
    path("routine/<str:code>/<int:pk>/stop/", views.recurring_stop, name="recurring_stop"),
]
