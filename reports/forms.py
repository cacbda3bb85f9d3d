from __future__ import annotations

import datetime
from typing import cast

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from kpi_portal import periods
from org.models import Unit


class DashboardFilterForm(forms.Form):
    month = forms.TypedChoiceField(label=_("Month"), required=False, empty_value=None)
    unit: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        label=_("Unit"), queryset=None, required=False, empty_label=_("The whole agency")
    )

    def __init__(self, *args, months: list[datetime.date], units, **kwargs):
        super().__init__(*args, **kwargs)
        by_value = {periods.month_value(m): m for m in months}
        month = cast(forms.TypedChoiceField, self.fields["month"])
        month.choices = [(value, date_format(m, "YEAR_MONTH_FORMAT")) for value, m in by_value.items()]
        month.coerce = by_value.__getitem__
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units.order_by("code")


class SendingFilterForm(forms.Form):
    """The province's list of sent months: a year, and a month of it or all of them."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    month = forms.TypedChoiceField(label=_("Month"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        cast_year = cast(forms.TypedChoiceField, self.fields["year"])
        cast_year.choices = [(y, str(y)) for y in years]
        cast_month = cast(forms.TypedChoiceField, self.fields["month"])
        cast_month.choices = [("", _("Every month"))] + [(m, f"{m:02d}") for m in range(1, 13)]
