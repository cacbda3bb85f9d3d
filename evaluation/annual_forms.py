"""Forms of the annual rating pages (``evaluation.views.annual``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kpi_portal.text import REASON_MAX
from org.models import Unit

from .models import AnnualStatus, Rating


class AnnualFilterForm(forms.Form):
    unit: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All units")
    )
    group = forms.ChoiceField(label=_("Group of similar posts"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *AnnualStatus.choices]
    )
    rating = forms.ChoiceField(
        label=_("Rating"), required=False, choices=[("", _("All ratings")), *Rating.choices]
    )

    def __init__(self, *args, units, groups: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]  # a ModelChoiceField
        self.fields["group"].choices = [("", _("All groups")), *groups]  # type: ignore[attr-defined]


class ProposeForm(forms.Form):
    rating = forms.ChoiceField(label=_("Proposed rating"), choices=Rating.choices)
    comment = forms.CharField(
        label=_("Comment (needed when you propose another rating than the one of the average)"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DecideForm(forms.Form):
    rating = forms.ChoiceField(label=_("Decided rating"), choices=Rating.choices)
    reason = forms.CharField(
        label=_("Reason (needed when you decide otherwise than proposed)"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class AppealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you contest the rating"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class AppealDecisionForm(forms.Form):
    rating = forms.ChoiceField(label=_("Rating after the appeal"), choices=Rating.choices)
    decision = forms.CharField(
        label=_("Decision (the person reads it)"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
