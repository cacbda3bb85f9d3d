"""Sign-in through the province's identity provider (OpenID Connect, mozilla-django-oidc).

Active only when ``OIDC_RP_CLIENT_ID`` and the provider's endpoints are set
(kpi_portal/settings/directory.py). Accounts are matched by the username claim, not by e-mail (two
people may share an office mailbox), and brought in line with the claims at each sign-in
(``org.directory``).
"""

from __future__ import annotations

from typing import Any

from mozilla_django_oidc.auth import OIDCAuthenticationBackend  # type: ignore[import-untyped]

from . import directory
from .models import User


class DirectoryOIDCBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(directory.profile_from_claims(claims).username)

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        username = directory.profile_from_claims(claims).username
        return User.objects.filter(username__iexact=username) if username else User.objects.none()

    def create_user(self, claims: dict[str, Any]) -> User:
        return directory.account_for(directory.profile_from_claims(claims))

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        return directory.apply_profile(user=user, profile=directory.profile_from_claims(claims))
