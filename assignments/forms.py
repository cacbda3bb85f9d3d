from __future__ import annotations

from decimal import Decimal
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from org.forms import DateInput, PersonChoiceField

from .models import MAX_QUANTITY, NOTE_MAX, SOURCE_MAX


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        units = getattr(obj, "current_memberships", [])
        unit = f" · {units[0].unit.name}" if units else ""
        return f"{obj.get_full_name()}{unit}"


def _quantity_field(label) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal("0.01"),
        max_value=MAX_QUANTITY,
        decimal_places=2,
        max_digits=7,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class AssignmentForm(forms.Form):
    people = PeopleField(
        label=_("Assign to"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick several people to give each of them the same work."),
    )
    work = forms.ChoiceField(
        label=_("Task or stage"),
        help_text=_("A whole task counts every stage; a stage counts only that stage."),
        widget=forms.Select(attrs={"data-filterable": "1", "data-filter-placeholder": _("Search tasks…")}),
    )
    quantity = _quantity_field(_("Products expected"))
    due_date = forms.DateField(label=_("Due date"), widget=DateInput, input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=SOURCE_MAX,
        help_text=_("The incoming document number or the meeting the work comes from."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    # A new one each time the empty form is shown: the same form posted twice assigns the work once.
    client_token = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, people, work_choices, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["people"]).queryset = people
        cast(forms.ChoiceField, self.fields["work"]).choices = [("", _("— choose a task —")), *work_choices]


class AssignmentChangeForm(forms.Form):
    quantity = _quantity_field(_("Products expected"))
    due_date = forms.DateField(label=_("Due date"), widget=DateInput, input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    note = forms.CharField(
        label=_("Note"), required=False, max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(
        label=_("Reason for the change"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class FilterForm(forms.Form):
    person = PersonChoiceField(label=_("Person"), queryset=None, required=False, empty_label=_("Everyone"))
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, people, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = people
        cast(forms.ChoiceField, self.fields["status"]).choices = [("", _("All")), *statuses]


class RecurringForm(forms.Form):
    position = forms.CharField(
        label=_("Job position"),
        max_length=200,
        widget=forms.TextInput(attrs={"list": "positions"}),
        help_text=_("As written on the people's profiles."),
    )
    work = forms.ChoiceField(
        label=_("Task or stage"),
        widget=forms.Select(attrs={"data-filterable": "1", "data-filter-placeholder": _("Search tasks…")}),
    )
    quantity = _quantity_field(_("Products a month"))
    note = forms.CharField(
        label=_("Note"), required=False, max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, work_choices, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["work"]).choices = [("", _("— choose a task —")), *work_choices]


class StopForm(forms.Form):
    reason = forms.CharField(label=_("Reason for stopping"), max_length=2000)
