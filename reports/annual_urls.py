"""The annual ratings' PDF, asked for as a background job (a POST); under ``reports/annual/``."""

from django.urls import path

from . import annual_views

app_name = "annual_reports"

urlpatterns = [
    path("<str:code>/<int:year>/pdf/", annual_views.annual_pdf, name="pdf"),
]
