from django.urls import path

from . import suggestion_views, views
from .import_urls import urlpatterns as import_urlpatterns

app_name = "evidence"

urlpatterns = [
    path("flags/<int:pk>/justify/", views.justify, name="justify"),
    path("flags/<int:pk>/clear/", views.clear, name="clear"),
    path("suggestions/accept/", suggestion_views.accept, name="suggestion_accept"),
    path("suggestions/dismiss/", suggestion_views.dismiss, name="suggestion_dismiss"),
    *import_urlpatterns,
]
