import re
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


# "1/2", "1 1/2", "2/3": a whole number and a fraction, as people write a share of a product.
FRACTION = re.compile(r"^(?:(\d+)\s+)?(\d+)\s*/\s*(\d+)$")
# "1,5h", "1.5 h", "2 giờ", "1h30", "1 giờ 30 phút", "90", "90 phút", "90p", "90'".
HOURS = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(?:h|giờ|g)\s*(?:(\d+)\s*(?:m|min|phút|p|')?)?$", re.IGNORECASE)
MINUTES = re.compile(r"^(\d+)\s*(?:m|min|phút|p|')?$", re.IGNORECASE)


class QuantityField(forms.DecimalField):
    """A quantity as people type it: 1, 0,5, 0.5, 1/2 or 1 1/2."""

    default_error_messages = {"invalid": _("Type a quantity such as 1, 0,5 or 1/2.")}

    def to_python(self, value):
        text = str(value or "").strip()
        match = FRACTION.match(text)
        if match:
            whole, top, bottom = (int(part or 0) for part in match.groups())
            if bottom == 0:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            exact = Decimal(whole) + Decimal(top) / Decimal(bottom)
            return exact.quantize(Decimal("0.01"))
        return super().to_python(text.replace(" ", ""))


class DurationField(forms.IntegerField):
    """Minutes, as people type a duration: 90, 90 phút, 1,5h, 1h30 or 2 giờ."""

    default_error_messages = {"invalid": _("Type minutes (90) or hours (1,5h or 1h30).")}

    def to_python(self, value):
        text = str(value or "").strip()
        if not text:
            return None
        hours = HOURS.match(text)
        if hours:
            minutes = Decimal(hours.group(1).replace(",", ".")) * 60 + int(hours.group(2) or 0)
            return int(minutes.to_integral_value())
        plain = MINUTES.match(text)
        if plain:
            return int(plain.group(1))
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class EntryForm(forms.Form):
    """Add or change an entry. The stage list is the catalog that applies on the entry's day."""

    stage = forms.TypedChoiceField(
        label=_("Task and stage"),
        coerce=int,
        help_text=_("Type to search; your recent tasks come first."),
        widget=forms.Select(attrs={"data-filterable": "1", "data-filter-placeholder": _("Search tasks…")}),
    )
    quantity = QuantityField(
        label=_("Quantity"),
        min_value=Decimal("0.01"),
        max_value=MAX_QUANTITY,
        decimal_places=2,
        max_digits=6,
        localize=True,
        initial=1,
        help_text=_("Units of output: documents, files, meetings…; a share of one as 0,5 or 1/2."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    estimate_minutes = DurationField(
        label=_("My estimate"),
        required=False,
        min_value=0,
        max_value=MAX_ESTIMATE_MINUTES,
        help_text=_(
            "Optional, in minutes (90) or hours (1,5h or 1h30); kept for comparison, "
            "never counted as worked time."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
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
