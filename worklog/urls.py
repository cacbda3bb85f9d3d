import datetime

from django.urls import path, register_converter

from . import guide_views, views


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> datetime.date:
        return datetime.date.fromisoformat(value)  # ValueError (e.g. 2026-02-30) means no match: 404

    def to_url(self, value: datetime.date | str) -> str:
        return value if isinstance(value, str) else value.isoformat()


register_converter(IsoDateConverter, "isodate")

app_name = "worklog"

urlpatterns = [
    path("", views.index, name="index"),
    path("guide/", guide_views.guide, name="guide"),
    path("day/<isodate:day>/", views.day, name="day"),
    path("day/<isodate:day>/submit/", views.day_submit, name="day_submit"),
    path("day/<isodate:day>/copy/", views.day_copy, name="day_copy"),
    path("week/<isodate:day>/", views.week, name="week"),
    path("week/<isodate:day>/submit/", views.week_submit, name="week_submit"),
    path("week/<isodate:day>/cell/", views.week_cell, name="week_cell"),
    path("month/<int:year>-<int:month>/", views.month, name="month"),
    path("entries/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("entries/<int:pk>/delete/", views.entry_delete, name="entry_delete"),
    path("entries/<int:pk>/reopen/", views.entry_reopen, name="entry_reopen"),
    path("people/<int:person_id>/reopen-day/", views.day_reopen, name="day_reopen"),
    path("people/<int:person_id>/remind/", views.remind_missing_days, name="remind_missing_days"),
]
