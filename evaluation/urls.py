from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("approve/", views.approve, name="approve"),
    path("entries/<int:pk>/return/", views.entry_return, name="entry_return"),
    path("scores/", views.scores, name="scores"),
    path("evaluations/", views.my_evaluations, name="mine"),
    path("evaluations/<int:pk>/", views.detail, name="detail"),
    path("evaluations/<int:pk>/self/", views.self_assess, name="self_assess"),
    path("evaluations/<int:pk>/score/", views.score, name="score"),
    path("evaluations/<int:pk>/finalise/", views.finalise, name="finalise"),
    path("evaluations/<int:pk>/appeal/", views.appeal, name="appeal"),
    path("evaluations/<int:pk>/appeal/decide/", views.appeal_decide, name="appeal_decide"),
    path("evaluations/<int:pk>/entries/<int:entry_id>/exempt/", views.exempt, name="exempt"),
    path("people/<int:person_id>/<int:year>-<int:month>/", views.person_month, name="person_month"),
    path("people/<int:person_id>/discipline/", views.measure_new, name="measure_new"),
    path("agencies/<str:code>/", views.agency_month, name="agency_month"),
    path("agencies/<str:code>/weights/", views.scheme_edit, name="scheme_edit"),
]
