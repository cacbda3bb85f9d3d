import datetime
from typing import Any

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from kpi_portal import periods
from kpi_portal.text import REASON_MAX
from org.forms import DateInput

from .models import GeneralCriterion, ScoringScheme
from .services.schemes import OPTIONAL_FIELDS, SCHEME_FIELDS


class CriteriaForm(forms.Form):
    """Points (and a comment) for each general criterion of the evaluation's version, up to its weight."""

    comment = forms.CharField(
        label=_("Overall comment"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self,
        *args,
        scheme: ScoringScheme,
        criteria: list[GeneralCriterion],
        leader: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.keys = [criterion.key for criterion in criteria]
        if leader:
            # A leader's reviewer also chooses their capacity to organise the work, at the agency's levels.
            self.fields["capacity"] = forms.TypedChoiceField(
                label=_("Capacity to organise the work"),
                choices=[("", "—")] + [(level, f"{level} %") for level in scheme.capacity_scale],
                coerce=int,
                help_text=_(
                    "%(points)s points of the task results: 100 %% when the units led completed every "
                    "task of the plan on time and to standard, organised with initiative."
                )
                % {"points": scheme.capacity_points},
                error_messages={
                    "required": _("Choose the level of the capacity to organise the work."),
                    "invalid_choice": _("Choose one of the levels listed."),
                },
            )
        for criterion in criteria:
            weight = scheme.criterion_points(criterion.key)
            self.fields[f"points_{criterion.key}"] = forms.DecimalField(
                label=criterion.name,
                min_value=0,
                max_value=weight,
                decimal_places=2,
                max_digits=5,
                localize=True,
                help_text=_("0 to %(max)s points") % {"max": weight},
            )
            self.fields[f"comment_{criterion.key}"] = forms.CharField(
                label=_("Comment"), required=False, max_length=REASON_MAX
            )

    def criteria_rows(self):
        return [(self[f"points_{key}"], self[f"comment_{key}"]) for key in self.keys]

    def points(self) -> dict:
        return {key: self.cleaned_data[f"points_{key}"] for key in self.keys}

    def comments(self) -> dict:
        return {key: self.cleaned_data[f"comment_{key}"] for key in self.keys}

    def capacity_level(self) -> int | None:
        """The leader's capacity level chosen (percent), or None on a form without it."""
        return self.cleaned_data.get("capacity") if "capacity" in self.fields else None


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
            for key in self.keys:
                if data.get(f"points_{key}") is None and f"points_{key}" not in self.errors:
                    self.add_error(f"points_{key}", _("Give the amended points."))
        return data


class SchemeForm(forms.Form):
    """The agency's weights as numbers; what the decree allows is ``services.scheme_update``'s to say."""

    reason = forms.CharField(label=_("Reason for the change"), max_length=REASON_MAX)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, instance: ScoringScheme, criteria: list[GeneralCriterion], **kwargs):
        super().__init__(*args, **kwargs)
        # Only the model's field types and labels: its constraints would answer before the service.
        weights = fields_for_model(ScoringScheme, fields=SCHEME_FIELDS)
        self.keys = [criterion.key for criterion in criteria]
        general = {
            f"weight_{criterion.key}": forms.IntegerField(
                label=criterion.name,
                min_value=0,
                help_text=_("General criterion; %(points)s points by default.")
                % {"points": criterion.default_points},
            )
            for criterion in criteria
        }
        self.fields = {**weights, **general, **self.fields}
        for name in OPTIONAL_FIELDS:
            self.fields[name].required = False
        for name in SCHEME_FIELDS:
            self.initial.setdefault(name, getattr(instance, name))
        for key in self.keys:
            self.initial.setdefault(f"weight_{key}", instance.criterion_points(key))

    def weights(self) -> dict[str, int]:
        """The general criteria's weights, by key."""
        return {key: self.cleaned_data[f"weight_{key}"] for key in self.keys}


class MeasureForm(forms.Form):
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput)
    description = forms.CharField(label=_("Measure and decision number"), max_length=255)


def parse_month(value: str | None, default: datetime.date) -> datetime.date:
    """``YYYY-MM`` to the month's first day; anything else gives ``default``."""
    try:
        return periods.parse_month(value or "")
    except ValueError:
        return default
