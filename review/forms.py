from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from kpi_portal.text import REASON_MAX
from org.forms import DateInput


class QueueFilterForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Person"), required=False, coerce=int, empty_value=None)
    task = forms.TypedChoiceField(label=_("Task"), required=False, coerce=int, empty_value=None)
    start = forms.DateField(label=_("From"), required=False, widget=DateInput)
    end = forms.DateField(label=_("Until"), required=False, widget=DateInput)
    flagged = forms.BooleanField(
        label=_("Only days above 8 hours or with evidence to check"),
        required=False,
        help_text=_("Other days are hidden while this is ticked."),
    )

    def __init__(self, *args, people=None, tasks=None, **kwargs):
        """Without ``people`` and ``tasks`` the form only parses the filters (any id); with them it
        offers those as choices, and forgets a chosen one that has nothing waiting any more."""
        super().__init__(*args, **kwargs)
        if people is None or tasks is None:
            self.fields["person"] = forms.IntegerField(required=False)
            self.fields["task"] = forms.IntegerField(required=False)
            return
        choices = {
            "person": [("", _("Everyone"))] + [(p.pk, p.get_full_name()) for p in people],
            "task": [("", _("Every task"))] + [(t.pk, f"{t.code} {t.name}") for t in tasks],
        }
        for name, offer in choices.items():
            cast(forms.ChoiceField, self.fields[name]).choices = offer
        if self.is_bound:
            data = cast(QueryDict, self.data).copy()  # the views bind it to request.GET
            for name, offer in choices.items():
                offered = {str(value) for value, _label in offer}
                if data.get(name) not in offered:
                    data.pop(name, None)
            self.data = data

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
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


class ExcludeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for excluding"),
        max_length=REASON_MAX,
        error_messages={"required": _("Say why the entry is excluded: the person will read it.")},
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "The entry then counts neither as approved nor as waiting, so the month can be finalised. "
            "The person reads the reason on their diary page."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
