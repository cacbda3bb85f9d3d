"""``Authorization: Token <key>`` (or ``Bearer <key>``): the request acts for the key's client and agency."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from .models import ApiClient
from .services import api_client_touch

KEYWORDS = (b"token", b"bearer")


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """``request.auth`` is the ``ApiClient``; ``request.user`` stays anonymous (a client is no person)."""

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Send the key as “Authorization: Token <key>”."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Unknown or revoked key.")) from None
        client = ApiClient.objects.for_key(key)
        if client is None:
            raise exceptions.AuthenticationFailed(_("Unknown or revoked key."))
        api_client_touch(client=client)
        return AnonymousUser(), client

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (with this challenge) rather than 403 when the key is missing or wrong.
        return 'Token realm="api"'
