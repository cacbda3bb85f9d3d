from django.urls import include, path

from . import sent_views, views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("me/", views.my_month, name="me"),
    path("sent/", sent_views.province_sent, name="province_sent"),
    path("units/<int:pk>/", views.unit_dashboard, name="unit"),
    path("agencies/<str:code>/", views.agency_dashboard, name="agency"),
    path("agencies/<str:code>/fairness/", views.agency_fairness, name="fairness"),
    path("agencies/<str:code>/sent/", views.mark_sent, name="mark_sent"),
    path("agencies/<str:code>/export.<str:fmt>", views.export, name="export"),
    path("pdf/", include("reports.job_urls")),
    path("calibration/", include("reports.calibration_urls")),
]
