from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("approve/", views.approve, name="approve"),
    path("entries/<int:pk>/return/", views.entry_return, name="entry_return"),
    path("entries/<int:pk>/exclude/", views.entry_exclude, name="entry_exclude"),
    path("entries/<int:pk>/approve-with-note/", views.approve_with_note, name="approve_with_note"),
]
