"""Sign-in against the agency's directory: LDAP / Active Directory and OpenID Connect.

Imported by base.py (``from .directory import *``: every public name of this module lands in the
settings, the helpers too, which Django ignores for being in lower case). Each is on only when
configured, and then fails loudly on a missing value: LDAP when ``LDAP_SERVER_URI`` is set, OpenID
Connect when ``OIDC_RP_CLIENT_ID`` is. Local accounts keep working beside them (the demo, an
administrator's break-glass account). The mapping of entries and claims to people, units and roles
is ``org.directory``; every setting is in docs/directory-sign-in.md.
"""

from __future__ import annotations

from typing import Any

import environ

LDAP_BACKEND = "org.directory_ldap.DirectoryLDAPBackend"
OIDC_BACKEND = "org.directory_oidc.DirectoryOIDCBackend"

GROUP_TYPES = {
    # name: (django-auth-ldap group type, the filter that finds groups)
    "groupOfNames": ("GroupOfNamesType", "(objectClass=groupOfNames)"),
    "groupOfUniqueNames": ("GroupOfUniqueNamesType", "(objectClass=groupOfUniqueNames)"),
    "posixGroup": ("PosixGroupType", "(objectClass=posixGroup)"),
    "activeDirectory": ("NestedActiveDirectoryGroupType", "(objectClass=group)"),
}


def ldap_settings(env: environ.Env) -> dict[str, Any]:
    """django-auth-ldap's settings, or nothing when ``LDAP_SERVER_URI`` is not set."""
    uri = env("LDAP_SERVER_URI", default="")
    if not uri:
        return {}
    # python-ldap needs the OpenLDAP headers to build: installed only where LDAP is used
    # (requirements-ldap.txt), so imported only here.
    import ldap  # type: ignore[import-untyped]
    from django_auth_ldap import config  # type: ignore[import-untyped]

    group_type, group_filter = GROUP_TYPES[env("LDAP_GROUP_TYPE", default="groupOfNames")]
    timeout = env.int("LDAP_TIMEOUT_SECONDS", default=5)
    return {
        "AUTH_LDAP_SERVER_URI": uri,
        "AUTH_LDAP_START_TLS": env.bool("LDAP_START_TLS", default=False),
        # A service account that may search people and groups; empty: anonymous search.
        "AUTH_LDAP_BIND_DN": env("LDAP_BIND_DN", default=""),
        "AUTH_LDAP_BIND_PASSWORD": env("LDAP_BIND_PASSWORD", default=""),
        "AUTH_LDAP_USER_SEARCH": config.LDAPSearch(
            env("LDAP_USER_BASE"), ldap.SCOPE_SUBTREE, env("LDAP_USER_FILTER", default="(uid=%(user)s)")
        ),
        "AUTH_LDAP_GROUP_SEARCH": config.LDAPSearch(
            env("LDAP_GROUP_BASE", default=env("LDAP_USER_BASE")), ldap.SCOPE_SUBTREE, group_filter
        ),
        "AUTH_LDAP_GROUP_TYPE": getattr(config, group_type)(),
        # Members of this group are refused like a wrong password (on top of the directory's own lock).
        "AUTH_LDAP_DENY_GROUP": env("LDAP_DENY_GROUP", default=None),
        # Names, e-mail, unit and roles are applied by org.directory, through the organisation's services.
        "AUTH_LDAP_USER_ATTR_MAP": {},
        # A directory that does not answer must not hold a sign-in (and a worker) for minutes.
        "AUTH_LDAP_CONNECTION_OPTIONS": {
            ldap.OPT_NETWORK_TIMEOUT: timeout,
            ldap.OPT_TIMEOUT: timeout,
            ldap.OPT_REFERRALS: 0,
        },
    }


def oidc_settings(env: environ.Env) -> dict[str, Any]:
    """mozilla-django-oidc's settings, or nothing when ``OIDC_RP_CLIENT_ID`` is not set."""
    client_id = env("OIDC_RP_CLIENT_ID", default="")
    if not client_id:
        return {}
    return {
        "OIDC_RP_CLIENT_ID": client_id,
        "OIDC_RP_CLIENT_SECRET": env("OIDC_RP_CLIENT_SECRET"),
        "OIDC_OP_AUTHORIZATION_ENDPOINT": env("OIDC_OP_AUTHORIZATION_ENDPOINT"),
        "OIDC_OP_TOKEN_ENDPOINT": env("OIDC_OP_TOKEN_ENDPOINT"),
        "OIDC_OP_USER_ENDPOINT": env("OIDC_OP_USER_ENDPOINT"),
        "OIDC_OP_JWKS_ENDPOINT": env("OIDC_OP_JWKS_ENDPOINT"),
        "OIDC_RP_SIGN_ALGO": env("OIDC_RP_SIGN_ALGO", default="RS256"),
        "OIDC_RP_SCOPES": env("OIDC_RP_SCOPES", default="openid email profile"),
        "OIDC_USE_PKCE": True,
        "OIDC_TIMEOUT": env.int("OIDC_TIMEOUT_SECONDS", default=5),
        "LOGIN_REDIRECT_URL_FAILURE": "/accounts/login/",
    }


def backends(found: dict[str, Any]) -> list[str]:
    """The directory backends of the configured settings, in the order they are tried."""
    return [
        backend
        for backend, key in ((LDAP_BACKEND, "AUTH_LDAP_SERVER_URI"), (OIDC_BACKEND, "OIDC_RP_CLIENT_ID"))
        if key in found
    ]


_env = environ.Env()
_found = {**ldap_settings(_env), **oidc_settings(_env)}
vars().update(_found)
OIDC_ENABLED = "OIDC_RP_CLIENT_ID" in _found
# Placed by base.py between django-axes (first: it refuses a locked-out login before any password is
# checked, and counts every failure) and the local accounts (last).
DIRECTORY_BACKENDS = backends(_found)

# Where org.directory reads a person's name, place and roles (docs/directory-sign-in.md).
DIRECTORY_GROUP_PREFIX = _env("DIRECTORY_GROUP_PREFIX", default="kpi-")
DIRECTORY_FULL_NAME_ATTR = _env("LDAP_FULL_NAME_ATTR", default="cn")
DIRECTORY_EMAIL_ATTR = _env("LDAP_EMAIL_ATTR", default="mail")
DIRECTORY_AGENCY_ATTR = _env("LDAP_AGENCY_ATTR", default="o")
DIRECTORY_UNIT_ATTR = _env("LDAP_UNIT_ATTR", default="departmentNumber")
DIRECTORY_USERNAME_CLAIM = _env("OIDC_USERNAME_CLAIM", default="preferred_username")
DIRECTORY_FULL_NAME_CLAIM = _env("OIDC_FULL_NAME_CLAIM", default="name")
DIRECTORY_AGENCY_CLAIM = _env("OIDC_AGENCY_CLAIM", default="agency")
DIRECTORY_UNIT_CLAIM = _env("OIDC_UNIT_CLAIM", default="unit")
DIRECTORY_GROUPS_CLAIM = _env("OIDC_GROUPS_CLAIM", default="groups")
