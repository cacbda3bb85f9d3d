"""The norm calibration pages, included by ``reports.urls`` under ``calibration/`` (names in the
``reports`` namespace)."""

from django.urls import path

from . import calibration_views

urlpatterns = [
    path("<str:code>/", calibration_views.calibration_page, name="calibration"),
    path(
        "<str:code>/stages/<str:task_code>/<int:order>/",
        calibration_views.calibration_stage,
        name="calibration_stage",
    ),
    path(
        "<str:code>/stages/<str:task_code>/<int:order>/accept/",
        calibration_views.calibration_accept,
        name="calibration_accept",
    ),
]
