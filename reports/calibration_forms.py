"""The period (and search) of the norm calibration page; see ``reports.calibration``."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import calibration

SEARCH_MAX = 100


class CalibrationForm(forms.Form):
    """From and to, each a month (``09/2026``) or a day (``15/09/2026``); empty: the default period."""

    start = forms.CharField(
        label=_("From month"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": _("mm/yyyy"), "inputmode": "numeric"}),
        help_text=_("A month (09/2026) or a day (15/09/2026)."),
    )
    end = forms.CharField(
        label=_("To month"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": _("mm/yyyy"), "inputmode": "numeric"}),
        help_text=_("A month (11/2026) or a day (30/11/2026)."),
    )
    q = forms.CharField(label=_("Task code or name"), required=False, max_length=SEARCH_MAX)

    def __init__(self, *args, today: datetime.date, **kwargs) -> None:
        default = calibration.default_period(today)
        kwargs.setdefault("initial", {"start": f"{default.start:%m/%Y}", "end": f"{default.end:%m/%Y}"})
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_start(self) -> datetime.date | None:
        value = self.cleaned_data["start"].strip()
        return calibration.parse_bound(value, end=False) if value else None

    def clean_end(self) -> datetime.date | None:
        value = self.cleaned_data["end"].strip()
        return calibration.parse_bound(value, end=True) if value else None

    def clean(self) -> dict:
        data = super().clean() or {}
        if "start" in self.errors or "end" in self.errors:
            return data
        default = calibration.default_period(self.today)
        start, end = data.get("start") or default.start, data.get("end") or default.end
        try:
            data["period"] = calibration.check_period(start, end, self.today)
        except ValidationError as error:
            self.add_error(None, error)
        return data


def period_of(form: CalibrationForm) -> calibration.Period | None:
    """The period asked for: the default one when nothing was asked, None when the input is refused."""
    if not form.is_bound:
        return calibration.default_period(form.today)
    return form.cleaned_data["period"] if form.is_valid() else None


def period_query(period: calibration.Period) -> dict[str, str]:
    """The query string that asks for ``period`` again."""
    return {"start": f"{period.start:%d/%m/%Y}", "end": f"{period.end:%d/%m/%Y}"}
