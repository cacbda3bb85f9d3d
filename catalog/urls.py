from django.urls import path

from . import handbook_views, import_views, views

app_name = "catalog"

urlpatterns = [
    path("", views.catalog_index, name="index"),
    path("<str:code>/", views.home, name="home"),
    path("<str:code>/tasks/", views.task_list, name="tasks"),
    path("<str:code>/tasks/new/", views.task_create, name="task_create"),
    path("<str:code>/tasks/<int:pk>/", views.task_detail, name="task"),
    path("<str:code>/tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("<str:code>/tasks/<int:pk>/delete/", views.task_delete, name="task_delete"),
    path("<str:code>/declared/", views.declared_list, name="declared"),
    path("<str:code>/declared/merge/", views.declared_merge, name="declared_merge"),
    path("<str:code>/draft/open/", views.draft_open, name="draft_open"),
    path("<str:code>/draft/discard/", views.draft_discard, name="draft_discard"),
    path("<str:code>/publish/", views.publish, name="publish"),
    path("<str:code>/import/", import_views.import_upload, name="import"),
    path("<str:code>/import/<int:pk>/", import_views.import_preview, name="import_preview"),
    path("<str:code>/export/", views.export, name="export"),
    path("<str:code>/handbook/", handbook_views.handbook_page, name="handbook"),
    path("<str:code>/handbook.pdf", handbook_views.handbook_pdf, name="handbook_pdf"),
    path("<str:code>/history/", views.history, name="history"),
    path("<str:code>/proposals/", views.proposals, name="proposals"),
]
