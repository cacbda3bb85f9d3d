from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("flags/<int:pk>/justify/", views.justify, name="justify"),
    path("flags/<int:pk>/clear/", views.clear, name="clear"),
]
