import datetime
from typing import Any

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from kpi_portal import periods
from kpi_portal.text import REASON_MAX
from org.forms import DateInput

from .models import Criterion, ScoringScheme
from .services import SCHEME_FIELDS


class CriteriaForm(forms.Form):
    """Points (and a comment) for each general criterion, each up to the agency's weight."""

    comment = forms.CharField(
        label=_("Overall comment"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, scheme: ScoringScheme, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in Criterion:
            weight = scheme.criterion_points(criterion.value)
            self.fields[f"points_{criterion.value}"] = forms.DecimalField(
                label=criterion.label,
                min_value=0,
                max_value=weight,
                decimal_places=2,
                max_digits=5,
                localize=True,
                help_text=_("0 to %(max)s points") % {"max": weight},
            )
            self.fields[f"comment_{criterion.value}"] = forms.CharField(
                label=_("Comment"), required=False, max_length=REASON_MAX
            )

    def criteria_rows(self):
        return [(self[f"points_{c}"], self[f"comment_{c}"]) for c in Criterion.values]

    def points(self) -> dict:
        return {c: self.cleaned_data[f"points_{c}"] for c in Criterion.values}

    def comments(self) -> dict:
        return {c: self.cleaned_data[f"comment_{c}"] for c in Criterion.values}


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class AppealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you contest this evaluation?"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AppealDecisionForm(CriteriaForm):
    amend = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("0", _("Uphold the rating")), ("1", _("Amend the general criteria and recompute"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    decision = forms.CharField(
        label=_("Written decision"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["comment"]
        for name, field in self.fields.items():
            if name.startswith("points_"):
                field.required = False

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("amend"):
            for criterion in Criterion.values:
                if data.get(f"points_{criterion}") is None and f"points_{criterion}" not in self.errors:
                    self.add_error(f"points_{criterion}", _("Give the amended points."))
        return data


class SchemeForm(forms.Form):
    """The agency's weights as numbers; what the decree allows is ``services.scheme_update``'s to say."""

    reason = forms.CharField(label=_("Reason for the change"), max_length=REASON_MAX)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, instance: ScoringScheme, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the model's field types and labels: its constraints would answer before the service.
        weights = fields_for_model(ScoringScheme, fields=SCHEME_FIELDS)
        self.fields = {**weights, **self.fields}
        for name in SCHEME_FIELDS:
            self.initial.setdefault(name, getattr(instance, name))


class MeasureForm(forms.Form):
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput)
    description = forms.CharField(label=_("Measure and decision number"), max_length=255)


def parse_month(value: str | None, default: datetime.date) -> datetime.date:
    """``YYYY-MM`` to the month's first day; anything else gives ``default``."""
    try:
        return periods.parse_month(value or "")
    except ValueError:
        return default
