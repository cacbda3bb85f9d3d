import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from kpi_portal.text import REASON_MAX
from org.forms import DateInput

from .models import Criterion, ScoringScheme
from .services import SCHEME_FIELDS


class QueueFilterForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Person"), required=False, coerce=int, empty_value=None)
    task = forms.TypedChoiceField(label=_("Task"), required=False, coerce=int, empty_value=None)
    start = forms.DateField(label=_("From"), required=False, widget=DateInput)
    end = forms.DateField(label=_("Until"), required=False, widget=DateInput)
    flagged = forms.BooleanField(label=_("Only days above 8 hours"), required=False)

    def __init__(self, *args, people=None, tasks=None, **kwargs):
        """Without ``people`` and ``tasks`` the form only parses the filters (any id); with them it
        offers those as choices, and forgets a chosen one that has nothing waiting any more."""
        super().__init__(*args, **kwargs)
        if people is None or tasks is None:
            self.fields["person"] = forms.IntegerField(required=False)
            self.fields["task"] = forms.IntegerField(required=False)
            return
        self.fields["person"].choices = [("", _("Everyone"))] + [(p.pk, p.get_full_name()) for p in people]
        self.fields["task"].choices = [("", _("Every task"))] + [(t.pk, f"{t.code} {t.name}") for t in tasks]
        if self.is_bound:
            data = self.data.copy()
            for name in ("person", "task"):
                offered = {str(value) for value, _label in self.fields[name].choices}
                if data.get(name) not in offered:
                    data.pop(name, None)
            self.data = data

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"),
        max_length=REASON_MAX,
        error_messages={"required": _("Say why the entry is returned: the person will read it.")},
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The person reads it on their diary page."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


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

    def clean(self):
        data = super().clean()
        if data.get("amend"):
            for criterion in Criterion.values:
                if data.get(f"points_{criterion}") is None and f"points_{criterion}" not in self.errors:
                    self.add_error(f"points_{criterion}", _("Give the amended points."))
        return data


class SchemeForm(forms.ModelForm):
    reason = forms.CharField(label=_("Reason for the change"), max_length=REASON_MAX)
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ScoringScheme
        fields = SCHEME_FIELDS

    def clean(self):
        data = super().clean()
        points = [data.get(name) for name in SCHEME_FIELDS[:8]]
        if all(p is not None for p in points) and sum(points) != 100:
            raise forms.ValidationError(
                _("The points add up to %(total)s; they must add up to 100.") % {"total": sum(points)}
            )
        return data


class MeasureForm(forms.Form):
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput)
    description = forms.CharField(label=_("Measure and decision number"), max_length=255)


def parse_month(value: str | None, default: datetime.date) -> datetime.date:
    """``YYYY-MM`` to the month's first day; anything else gives ``default``."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return datetime.date(year, month, 1)
    except ValueError:
        return default
