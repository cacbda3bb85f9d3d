"""Password rules beyond Django's: not the password in use, and messages the Vietnamese catalog covers.

Listed in AUTH_PASSWORD_VALIDATORS, so the password change page, the admin and ``changepassword``
apply them alike.
"""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule with its message in words of our own catalog.

    Django 5.2 changed the message's wording (``%d``) and its Vietnamese catalog still has the old
    one, so the message showed in English.
    """

    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short: it must have at least %(min_length)d character.",
            "This password is too short: it must have at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


class NotTheCurrentPasswordValidator:
    """A new password must differ from the one it replaces (the user still holds the old hash)."""

    def validate(self, password: str, user=None) -> None:
        if user is not None and user.pk and user.has_usable_password() and user.check_password(password):
            raise ValidationError(
                _("The new password must differ from the one you use now."), code="password_unchanged"
            )

    def get_help_text(self) -> str:
        return _("Your new password must differ from the one you use now.")
