from decimal import Decimal
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from org.forms import DateInput

from .models import DESCRIPTION_MAX, EVIDENCE_MAX, MAX_ESTIMATE_MINUTES, MAX_QUANTITY
from .services import EntryInput


def assignment_label(assignment) -> str:
    stage = f" · {assignment.stage.order}. {assignment.stage.name}" if assignment.stage else ""
    return _("%(code)s %(task)s%(stage)s × %(quantity)s, due %(day)s") % {
        "code": assignment.task.code,
        "task": assignment.task.name,
        "stage": stage,
        "quantity": f"{assignment.quantity.normalize():f}".replace(".", ","),
        "day": assignment.due_date.strftime("%d/%m/%Y"),
    }


class EntryForm(forms.Form):
    """Add or change an entry. The stage list is the catalog that applies on the entry's day."""

    stage = forms.TypedChoiceField(
        label=_("Task and stage"),
        coerce=int,
        help_text=_("Type to search; your recent tasks come first."),
        widget=forms.Select(attrs={"data-filterable": "1", "data-filter-placeholder": _("Search tasks…")}),
    )
    quantity = forms.DecimalField(
        label=_("Quantity"),
        min_value=Decimal("0.01"),
        max_value=MAX_QUANTITY,
        decimal_places=2,
        max_digits=6,
        localize=True,
        initial=1,
        help_text=_("Units of output: documents, files, meetings…"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    estimate_minutes = forms.IntegerField(
        label=_("My estimate (minutes)"),
        required=False,
        min_value=0,
        max_value=MAX_ESTIMATE_MINUTES,
        help_text=_("Optional; kept for comparison, never counted as worked time."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence_ref = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=EVIDENCE_MAX,
        help_text=_(
            "Number of the outgoing document (e.g. 1234/STC-NS) or the meeting, when the task asks for it."
        ),
    )
    assignment = forms.TypedChoiceField(
        label=_("Counts toward"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("The assignment this work is for; leave it empty for work nobody assigned."),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # A new one each time the empty add form is shown: the same form posted twice adds one entry.
    client_token = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, choices, stages, assignments=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["stage"]).choices = [("", _("— choose a task —")), *choices]
        self._stages = stages
        self._assignments = {a.pk: a for a in assignments}
        cast(forms.ChoiceField, self.fields["assignment"]).choices = [
            ("", _("— nobody assigned it (own initiative) —")),
            *((a.pk, assignment_label(a)) for a in assignments),
        ]

    def clean_assignment(self):
        value = self.cleaned_data["assignment"]
        if value is None:
            return None
        if value not in self._assignments:
            raise forms.ValidationError(_("Choose one of your open assignments."))
        return self._assignments[value]

    def clean_stage(self):
        stage = self._stages.filter(pk=self.cleaned_data["stage"]).first()
        if stage is None:
            raise forms.ValidationError(_("Choose a task of the catalog that applies on this day."))
        return stage

    def to_input(self) -> EntryInput:
        data = self.cleaned_data
        return EntryInput(
            stage=data["stage"],
            quantity=data["quantity"],
            estimate_minutes=data["estimate_minutes"],
            description=data["description"],
            evidence_ref=data["evidence_ref"],
            assignment=data["assignment"],
        )


class CopyDayForm(forms.Form):
    source = forms.DateField(label=_("Copy the entries of"), widget=DateInput)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255, widget=forms.Textarea(attrs={"rows": 3}))


class DayReopenForm(forms.Form):
    date = forms.DateField(label=_("Day to reopen"), widget=DateInput)
    reason = forms.CharField(label=_("Reason"), max_length=255)
