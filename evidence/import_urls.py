"""Evidence import pages, included by evidence/urls.py under the ``evidence`` namespace."""

from django.urls import path

from . import import_views

urlpatterns = [
    path("<str:code>/import/", import_views.import_upload, name="import"),
    path("<str:code>/import/template/", import_views.import_template, name="import_template"),
]
