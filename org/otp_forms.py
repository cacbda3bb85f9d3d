"""Forms of the second factor (org/otp.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("The 6 digits your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "size": 12}
        ),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=12,
        help_text=_("The 6 digits the app shows after you added the account."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 12}),
    )


class ResetForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("For example: the phone with the app was lost. Kept in the audit trail."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
