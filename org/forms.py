from __future__ import annotations

from typing import cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import Agency, Unit, User


class DateInput(forms.DateInput):
    """A dd/mm/yyyy text field.

    Not the native date picker: browsers show it in the browser's own locale
    (mm/dd/yyyy on an English system), which invites 03/11 for 11/03.
    """

    def __init__(self, attrs=None):
        attrs = {"placeholder": "dd/mm/yyyy", "autocomplete": "off", **(attrs or {})}
        super().__init__(attrs=attrs, format="%d/%m/%Y")


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Wrong username or password. Both are case-sensitive. "
            "After %(limit)s failed attempts the account is locked for %(minutes)s minutes."
        ),
        "inactive": _("This account is disabled. Contact your agency's administrator."),
    }

    def get_invalid_login_error(self):
        from django.conf import settings

        return forms.ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={
                "limit": settings.AXES_FAILURE_LIMIT,
                "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            },
        )


class PeopleFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Name, username or position")}),
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        unit = cast(forms.ModelChoiceField, self.fields["unit"])
        unit.queryset = selectors.units_visible_to(user)
        unit.empty_label = _("All units")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} ({obj.username})"


class DelegationForm(forms.Form):
    delegate = PersonChoiceField(
        label=_("Delegate to"),
        queryset=User.objects.none(),
        help_text=_("A member of your agency who will review in your place."),
    )
    start = forms.DateField(
        label=_("From"), widget=DateInput, help_text=_("First day, inclusive, as dd/mm/yyyy.")
    )
    end = forms.DateField(
        label=_("Until"), widget=DateInput, help_text=_("Last day, inclusive, as dd/mm/yyyy.")
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=255,
        help_text=_("For example: annual leave, business trip. Shown to the delegate."),
    )

    def __init__(self, *args, delegator: User, **kwargs):
        super().__init__(*args, **kwargs)
        delegate = cast(forms.ModelChoiceField, self.fields["delegate"])
        delegate.queryset = selectors.delegate_candidates(delegator)
        delegate.empty_label = _("Choose a person")


class AuditFilterForm(forms.Form):
    agency: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label=_("Agency"), queryset=None, required=False, empty_label=_("Every agency")
    )
    person = forms.CharField(label=_("Person"), required=False, max_length=100)
    action = forms.ChoiceField(label=_("Action"), required=False)
    start = forms.DateField(label=_("From"), required=False, widget=DateInput)
    end = forms.DateField(label=_("Until"), required=False, widget=DateInput)

    def __init__(self, *args, agencies, **kwargs):
        from .models import AUDIT_ACTIONS

        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["agency"]).queryset = agencies
        cast(forms.ChoiceField, self.fields["action"]).choices = [("", _("Every action"))] + [
            (key, label) for key, label in AUDIT_ACTIONS.items()
        ]
