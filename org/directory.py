"""Directory sign-in: what the agency's directory (LDAP, OpenID Connect) says about a person, applied.

The directory is the source of truth for its accounts: at each sign-in their name, e-mail, unit
(with the unit-head flag) and roles are brought in line with it, through the organisation's services,
and every change is written to the audit trail. The mapping (docs/directory-sign-in.md):

- the agency and the unit come from attributes (``o`` and ``departmentNumber`` by default) or, without
  them, from the entry's DN: the first ``ou=`` from the top that is an agency's code, the next one
  below it the unit's code (``uid=an,ou=NS,ou=STC,ou=people,dc=...``: unit NS of STC);
- roles come from groups named ``kpi-<role>-<CODE>``: ``kpi-hr-STC`` is HR of STC; a province's code
  instead of an agency's grants the role with province scope; ``kpi-head-STC`` makes the person the
  head of their unit in STC.

Nothing here talks to a directory: the LDAP and OpenID Connect backends (``org.directory_ldap``,
``org.directory_oidc``) turn what they read into a ``DirectoryProfile``.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from . import audit, selectors, services
from .models import Agency, Province, Role, RoleAssignment, Unit, User

logger = logging.getLogger(__name__)

HEAD = "head"
# ``kpi-hr-STC``: the role's code, then the agency's (or the province's) code; the code may hold hyphens.
_ROLE_CODES = "|".join(re.escape(value) for value in [*Role.values, HEAD])


@dataclass(frozen=True)
class DirectoryProfile:
    """A person as the directory describes them, before anything is looked up in the database."""

    username: str
    full_name: str = ""
    email: str = ""
    agency_code: str = ""
    unit_code: str = ""
    groups: frozenset[str] = field(default_factory=frozenset)
    # Where the profile came from ("LDAP", "OpenID Connect"): the reason of the audit event.
    source: str = ""


def _first(attrs: Mapping[str, Sequence[str]], name: str) -> str:
    values = attrs.get(name) or attrs.get(name.lower()) or []
    return str(values[0]).strip() if values else ""


def units_from_dn(dn: str, agency_codes: Iterable[str]) -> tuple[str, str]:
    """The (agency code, unit code) an entry's DN places it in; empty strings when it does not."""
    known = {code.upper() for code in agency_codes}
    ous = [
        value.strip().upper()
        for key, _sep, value in (part.partition("=") for part in reversed(dn.split(",")))
        if key.strip().lower() == "ou"
    ]
    for index, ou in enumerate(ous):
        if ou in known:
            return ou, ous[index + 1] if index + 1 < len(ous) else ""
    return "", ""


def profile_from_ldap(
    *, username: str, dn: str, attrs: Mapping[str, Sequence[str]], groups: Iterable[str]
) -> DirectoryProfile:
    """Read an LDAP entry: names from the configured attributes, the place from attributes or the DN."""
    agency_code = _first(attrs, settings.DIRECTORY_AGENCY_ATTR).upper()
    unit_code = _first(attrs, settings.DIRECTORY_UNIT_ATTR).upper()
    if not agency_code:
        agency_code, from_dn = units_from_dn(dn, Agency.objects.values_list("code", flat=True))
        unit_code = unit_code or from_dn
    return DirectoryProfile(
        username=username,
        full_name=_first(attrs, settings.DIRECTORY_FULL_NAME_ATTR) or _first(attrs, "cn"),
        email=_first(attrs, settings.DIRECTORY_EMAIL_ATTR),
        agency_code=agency_code,
        unit_code=unit_code,
        groups=frozenset(groups),
        source="LDAP",
    )


def profile_from_claims(claims: Mapping[str, object]) -> DirectoryProfile:
    """Read the claims of an OpenID Connect ID token or user-info answer (claim names in settings)."""

    def text(name: str) -> str:
        value = claims.get(name)
        return str(value).strip() if isinstance(value, str | int) else ""

    found = claims.get(settings.DIRECTORY_GROUPS_CLAIM) or []
    groups = found.split() if isinstance(found, str) else found if isinstance(found, list) else []
    return DirectoryProfile(
        username=text(settings.DIRECTORY_USERNAME_CLAIM),
        full_name=text(settings.DIRECTORY_FULL_NAME_CLAIM),
        email=text("email"),
        agency_code=text(settings.DIRECTORY_AGENCY_CLAIM).upper(),
        unit_code=text(settings.DIRECTORY_UNIT_CLAIM).upper(),
        groups=frozenset(str(group) for group in groups if isinstance(group, str)),
        source="OpenID Connect",
    )


def parse_groups(groups: Iterable[str]) -> tuple[set[tuple[str, str]], set[str]]:
    """The (role, code) pairs and the agency codes headed that the group names grant.

    Groups that do not follow the ``<prefix><role>-<CODE>`` pattern are ignored: a directory
    holds many groups that are no business of this application.
    """
    pattern = re.compile(
        rf"^{re.escape(settings.DIRECTORY_GROUP_PREFIX)}(?P<role>{_ROLE_CODES})-(?P<code>.+)$", re.IGNORECASE
    )
    roles: set[tuple[str, str]] = set()
    heads: set[str] = set()
    for group in groups:
        match = pattern.match(group.strip())
        if match is None:
            continue
        role, code = match["role"].lower(), match["code"].upper()
        if role == HEAD:
            heads.add(code)
        else:
            roles.add((role, code))
    return roles, heads


def roles_in_words(value: object) -> str:
    """The audit trail's ``roles`` ("hr STC", ...) as the pages name them: "HR officer (STC)"."""
    labels = dict(Role.choices)
    words = []
    for key in value if isinstance(value, list) else []:
        role, _sep, scope = str(key).partition(" ")
        words.append(f"{labels.get(role, role)} ({scope})")
    return ", ".join(words) or "—"


def _role_key(assignment: RoleAssignment) -> str:
    scope = assignment.agency.code if assignment.agency else assignment.province.code  # type: ignore[union-attr]
    return f"{assignment.role} {scope}"


@transaction.atomic
def apply_profile(*, user: User, profile: DirectoryProfile) -> User:
    """Bring a directory account in line with its directory entry; audited when anything changed.

    What cannot be applied (an agency or unit code the application does not know, a second head of
    a unit, a move on the day the membership began) is logged and left as it was: the person still
    signs in, and the next sign-in tries again.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    today = selectors.today()
    before = _place_and_roles(user, today)
    changed = [
        name
        for name, value in (("full_name", profile.full_name), ("email", profile.email))
        if value and getattr(user, name) != value
    ]
    before.update({name: getattr(user, name) for name in changed})
    for name in changed:
        setattr(user, name, getattr(profile, name))
    update_fields = list(changed)
    if user.has_usable_password():
        # The directory checks the password: a local one left behind would outlive a disabled account.
        user.set_unusable_password()
        update_fields.append("password")
    if update_fields:
        user.save(update_fields=update_fields)

    role_pairs, heads = parse_groups(profile.groups)
    unit = _unit(profile)
    if unit is not None:
        is_head = unit.agency.code in heads
        current = selectors.membership_on(user, today)
        try:
            if current is None:
                services.membership_add(person=user, unit=unit, start=today, is_head=is_head)
            elif current.unit_id != unit.pk or current.is_head != is_head:
                services.person_transfer(person=user, unit=unit, on=today, is_head=is_head)
        except ValidationError as error:
            logger.warning("directory sign-in of %s: unit %s not applied: %s", user.username, unit, error)
    _sync_roles(user=user, pairs=role_pairs)

    after = _place_and_roles(user, today)
    after.update({name: getattr(user, name) for name in changed})
    if after != before:
        membership = selectors.membership_on(user, today)
        audit.record(
            actor=None,
            action="person.directory_synced",
            target=user,
            agency=membership.unit.agency if membership else None,
            person=user,
            before=before,
            after=after,
            reason=profile.source,
        )
    return user


def _place_and_roles(user: User, on: datetime.date) -> dict[str, object]:
    membership = selectors.membership_on(user, on)
    return {
        "unit": f"{membership.unit.agency.code} / {membership.unit}" if membership else "",
        "is_head": bool(membership and membership.is_head),
        "roles": sorted(_role_key(a) for a in selectors.roles_of(user)),
    }


def _unit(profile: DirectoryProfile) -> Unit | None:
    if not profile.agency_code:
        logger.warning("directory sign-in of %s: no agency in the entry", profile.username)
        return None
    units = Unit.objects.select_related("agency").filter(agency__code=profile.agency_code)
    unit = units.filter(code=profile.unit_code).first() if profile.unit_code else None
    if unit is None:
        logger.warning(
            "directory sign-in of %s: no unit %r in agency %r",
            profile.username,
            profile.unit_code,
            profile.agency_code,
        )
    return unit


def _sync_roles(*, user: User, pairs: set[tuple[str, str]]) -> None:
    """Grant the roles of the person's groups and remove those no group grants any more."""
    codes = {code for _role, code in pairs}
    agencies = {a.code: a for a in Agency.objects.filter(code__in=codes)}
    provinces = {p.code: p for p in Province.objects.filter(code__in=codes)}
    wanted: set[tuple[str, int | None, int | None]] = set()
    for role, code in pairs:
        if role != Role.PROVINCE_REVIEWER and code in agencies:
            wanted.add((role, agencies[code].pk, None))
        elif code in provinces:
            wanted.add((role, None, provinces[code].pk))
        else:
            logger.warning("directory sign-in of %s: no agency or province %r for role %s", user, code, role)
    held = {(a.role, a.agency_id, a.province_id): a for a in RoleAssignment.objects.filter(person=user)}
    for key, assignment in held.items():
        if key not in wanted:
            assignment.delete()
    for role, agency_id, province_id in wanted - held.keys():
        assignment = RoleAssignment(person=user, role=role, agency_id=agency_id, province_id=province_id)
        assignment.full_clean()
        assignment.save()


def account_for(profile: DirectoryProfile) -> User:
    """The account of a directory user, created (without a local password) at their first sign-in.

    Usernames are matched without regard to case and kept in lower case, as django-auth-ldap does.
    """
    username = profile.username.lower()
    user = User.objects.filter(username__iexact=username).first()
    if user is None:
        user = User.objects.create_user(username, email=profile.email, full_name=profile.full_name)
    return apply_profile(user=user, profile=profile)
