"""The PDF reports page, included by ``reports.urls`` under ``pdf/`` (names in the ``reports`` namespace)."""

from django.urls import path

from . import job_views

urlpatterns = [
    path("", job_views.job_list, name="jobs"),
    path("<int:pk>/", job_views.job_status, name="job_status"),
    path("<int:pk>/download/", job_views.job_download, name="job_download"),
    path("<int:pk>/regenerate/", job_views.job_regenerate, name="job_regenerate"),
]
