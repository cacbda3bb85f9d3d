import datetime

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


class DashboardFilterForm(forms.Form):
    month = forms.TypedChoiceField(label=_("Month"), required=False, empty_value=None)
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=None, required=False, empty_label=_("The whole agency")
    )

    def __init__(self, *args, months: list[datetime.date], units, **kwargs):
        super().__init__(*args, **kwargs)
        by_value = {f"{m:%Y-%m}": m for m in months}
        self.fields["month"].choices = [
            (value, date_format(m, "YEAR_MONTH_FORMAT")) for value, m in by_value.items()
        ]
        self.fields["month"].coerce = by_value.__getitem__
        self.fields["unit"].queryset = units.order_by("code")
