from django.urls import path

from . import views
from .import_urls import urlpatterns as import_urlpatterns

app_name = "evidence"

urlpatterns = [
    path("flags/<int:pk>/justify/", views.justify, name="justify"),
    path("flags/<int:pk>/clear/", views.clear, name="clear"),
    *import_urlpatterns,
]
