"""The login page's button for the province's identity provider, shown only when it is configured."""

from django import template
from django.conf import settings
from django.urls import reverse

register = template.Library()


@register.simple_tag
def oidc_sign_in_url() -> str:
    """Where the OpenID Connect sign-in starts, or "" when OpenID Connect is not configured."""
    if not getattr(settings, "OIDC_ENABLED", False):
        return ""
    return reverse("oidc_authentication_init")
