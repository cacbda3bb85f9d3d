"""Sign-in against the agency's LDAP or Active Directory (django-auth-ldap, python-ldap).

Imported only when ``LDAP_SERVER_URI`` is set (kpi_portal/settings/directory.py): python-ldap is
built from source and needs the OpenLDAP headers (requirements-ldap.txt, docs/directory-sign-in.md).
"""

from __future__ import annotations

import logging
from typing import Any

import ldap  # type: ignore[import-untyped]
from django_auth_ldap.backend import LDAPBackend  # type: ignore[import-untyped]

from . import directory

logger = logging.getLogger(__name__)


class DirectoryLDAPBackend(LDAPBackend):
    """django-auth-ldap's backend; after each successful bind the entry is applied (``org.directory``).

    A wrong password, an account the directory has disabled (it refuses the bind) and a member of the
    deny group all end as ``None``: the login page gives its usual message and django-axes counts the
    failure like any other.
    """

    def authenticate_ldap_user(self, ldap_user: Any, password: str) -> Any:
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is None:
            return None
        try:
            profile = directory.profile_from_ldap(
                username=user.username,
                dn=ldap_user.dn,
                attrs=ldap_user.attrs or {},
                groups=ldap_user.group_names,
            )
        except ldap.LDAPError as error:
            # The directory went away between the bind and the group search: without the groups the
            # roles cannot be known, so the sign-in is refused like any failure (and counted).
            logger.warning("directory sign-in of %s: groups not read: %s", user.username, error)
            return None
        return directory.apply_profile(user=user, profile=profile)
