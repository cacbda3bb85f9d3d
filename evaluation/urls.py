from django.urls import path

from .views import agency, annual, evaluations, exclusions

app_name = "evaluation"

urlpatterns = [
    path("scores/", evaluations.scores, name="scores"),
    path("evaluations/", evaluations.my_evaluations, name="mine"),
    path("evaluations/<int:pk>/", evaluations.detail, name="detail"),
    path("evaluations/<int:pk>/self/", evaluations.self_assess, name="self_assess"),
    path("evaluations/<int:pk>/score/", evaluations.score, name="score"),
    path("evaluations/<int:pk>/finalise/", evaluations.finalise, name="finalise"),
    path("evaluations/<int:pk>/appeal/", evaluations.appeal, name="appeal"),
    path("evaluations/<int:pk>/appeal/decide/", evaluations.appeal_decide, name="appeal_decide"),
    path("evaluations/<int:pk>/entries/<int:entry_id>/exempt/", evaluations.exempt, name="exempt"),
    path("evaluations/<int:pk>/entries/", exclusions.month_entries, name="month_entries"),
    path(
        "evaluations/<int:pk>/entries/<int:entry_id>/include/", exclusions.entry_include, name="entry_include"
    ),
    path("people/<int:person_id>/<int:year>-<int:month>/", evaluations.person_month, name="person_month"),
    path("people/<int:person_id>/discipline/", agency.measure_new, name="measure_new"),
    path("agencies/<str:code>/", agency.agency_month, name="agency_month"),
    path("agencies/<str:code>/weights/", agency.scheme_edit, name="scheme_edit"),
    path("agencies/<str:code>/annual/", annual.annual_list, name="annual_list"),
    path("agencies/<str:code>/annual/export.<str:fmt>", annual.annual_export, name="annual_export"),
    path("annual/", annual.annual_mine, name="annual_mine"),
    path("annual/<int:pk>/", annual.annual_detail, name="annual_detail"),
    path("annual/<int:pk>/decide/", annual.annual_decide, name="annual_decide"),
    path("annual/<int:pk>/appeal/", annual.annual_appeal, name="annual_appeal"),
    path("annual/<int:pk>/appeal/decide/", annual.annual_appeal_decide, name="annual_appeal_decide"),
    path("annual/people/<int:person_id>/<int:year>/", annual.annual_person, name="annual_person"),
]
