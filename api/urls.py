from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Its script from the same address (?script) and its styles from a file: nothing inline (CSP).
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
        name="docs",
    ),
    path("v1/documents/", views.DocumentsView.as_view(), name="documents"),
    path("v1/documents/<path:source_id>/", views.DocumentView.as_view(), name="document"),
    path("v1/calendar/", views.AssignmentsView.as_view(), name="calendar"),
    path("v1/calendar/<path:source_id>/", views.AssignmentView.as_view(), name="assignment"),
    path("v1/figures/", views.PersonMonthsView.as_view(), name="figures"),
    path("v1/figures/units/", views.UnitMonthsView.as_view(), name="unit_figures"),
    path("v1/evaluations/", views.EvaluationsView.as_view(), name="evaluations"),
    re_path(r"^(?P<path>.*)$", views.not_found),
]
