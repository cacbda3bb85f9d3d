"""The second factor: after the password, a code from an authenticator app (TOTP, django-otp).

Who must use it: HR, agency leaders, administrators, the province reviewer, anyone with province scope,
whoever may open the admin site (``is_staff``), superusers; everyone with ``OTP_REQUIRED_FOR_ALL``.
They decide ratings and can reopen approved work, so a stolen password alone must not be enough.

A session is verified once ``django_otp.login`` has stored the device that accepted a code (the
``OTPMiddleware`` reads it back on each request). ``SecondFactorMiddleware`` sends an unverified
session of such a person to the code page, or to enrolment when they have no app yet. The API is
not concerned: its clients sign every request with an agency key, never with a session.

Enrolment keeps the new secret in the session until the first code proves the app holds it: only
then are the app device and the ten recovery codes (a ``StaticDevice``, each code used once) saved.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import secrets
import time
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import django_otp
from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit, selectors
from .models import Agency, Membership, Role, RoleAssignment, User

# Roles held over an agency that need the second factor; any role held with province scope does too.
SECOND_FACTOR_ROLES = (Role.LEADER, Role.HR, Role.ADMINISTRATOR, Role.PROVINCE_REVIEWER)
# The secret being enrolled, hex as ``TOTPDevice.key`` keeps it.
ENROL_KEY_SESSION_KEY = "kpi_otp_enrol_key"
APP_DEVICE_NAME = "app"
RECOVERY_DEVICE_NAME = "recovery"


# Who ------------------------------------------------------------------------------------------------


def needs_second_factor(user) -> bool:
    """Must ``user`` confirm a sign-in with a code? Reads the request's access scope (no extra query
    on a page that works the scope out anyway)."""
    if not user.is_authenticated:
        return False
    if settings.OTP_REQUIRED_FOR_ALL or user.is_staff or user.is_superuser:
        return True
    scope = selectors.access_scope(user)
    return bool(
        scope.everything
        or scope.province_roles
        or any(role in SECOND_FACTOR_ROLES for _agency_id, role in scope.agency_roles)
    )


def people_needing_second_factor() -> QuerySet[User]:
    """Everyone ``needs_second_factor`` names, as one query (the demo seeds their devices)."""
    if settings.OTP_REQUIRED_FOR_ALL:
        return User.objects.filter(is_active=True)
    with_role = RoleAssignment.objects.filter(Q(role__in=SECOND_FACTOR_ROLES) | Q(province__isnull=False))
    return User.objects.filter(
        Q(is_staff=True) | Q(is_superuser=True) | Q(pk__in=with_role.values("person_id")), is_active=True
    )


def app_device(user: User) -> TOTPDevice | None:
    """The person's confirmed authenticator app, if they enrolled one."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# Enrolment --------------------------------------------------------------------------------------------


def enrolment_key(session) -> str:
    """The secret being enrolled in this session (hex), made on the first visit of the page."""
    key = session.get(ENROL_KEY_SESSION_KEY)
    if not key:
        key = secrets.token_hex(20)
        session[ENROL_KEY_SESSION_KEY] = key
    return key


def secret_text(key: str) -> str:
    """The secret as an authenticator app asks for it: base32, in groups of four."""
    encoded = base64.b32encode(binascii.unhexlify(key)).decode()
    return " ".join(encoded[i : i + 4] for i in range(0, len(encoded), 4))


def provisioning_uri(user: User, key: str) -> str:
    """The otpauth:// address the QR code carries (the Key Uri Format of authenticator apps)."""
    issuer = settings.OTP_TOTP_ISSUER.replace(":", "")
    params = urlencode(
        {
            "secret": base64.b32encode(binascii.unhexlify(key)).decode(),
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": 6,
            "period": 30,
        }
    )
    return f"otpauth://totp/{quote(f'{issuer}:{user.get_username()}')}?{params}"


def qr_svg(uri: str) -> str:
    """The QR code of ``uri`` as inline SVG, drawn on the server (no script, no CDN)."""
    import segno

    title = gettext("QR code to add the account to an authenticator app")
    return segno.make(uri, error="m").svg_inline(scale=5, dark="#000", light="#fff", title=title)


def _matching_step(key: str, code: str) -> int | None:
    """The time step whose code ``code`` is (the current one, or one either side), if any."""
    token = normalised(code)
    if not (token.isdigit() and len(token) == 6):
        return None
    totp = TOTP(binascii.unhexlify(key), step=30, t0=0, digits=6)
    totp.time = time.time()
    return totp.t() if totp.verify(int(token), tolerance=1) else None


class EnrolmentError(Exception):
    pass


@transaction.atomic
def enrol(*, user: User, key: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Save the app holding ``key`` once ``code`` shows it does, and ten new recovery codes.

    Returns the device and the recovery codes (shown once; only the database keeps them after).
    Refused when the person already has an app: an administrator resets it first.
    """
    # Lock the person: two enrolments sent at once cannot both save an app.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if app_device(user) is not None:
        raise EnrolmentError("enrolled")
    step = _matching_step(key, code)
    if step is None:
        raise EnrolmentError("code")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    # ``last_t``: the code just used cannot sign in again.
    device = TOTPDevice(user=user, name=APP_DEVICE_NAME, key=key, confirmed=True, last_t=step)
    device.full_clean()
    device.save()
    codes = _new_recovery_codes(user)
    audit.record(
        actor=user,
        action="second_factor.enrolled",
        target=user,
        agency=_agency_of(user),
        person=user,
        after={"recovery_codes": len(codes)},
    )
    return device, codes


def _new_recovery_codes(user: User) -> list[str]:
    recovery = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.OTP_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    return codes


# Signing in with a code ----------------------------------------------------------------------------------


def normalised(code: str) -> str:
    """A code as typed: spaces and dashes dropped, lower case (recovery codes are base32)."""
    return "".join(code.split()).replace("-", "").lower()


@dataclass(frozen=True)
class Verification:
    device: TOTPDevice | StaticDevice | None
    # When the throttle refused the try without looking at the code (wrong codes just before): until when.
    locked_until: datetime.datetime | None = None


def verify(*, user: User, code: str) -> Verification:
    """Check a code: six digits against the app, anything else against the recovery codes.

    A wrong code counts toward django-otp's throttle of that device (each wrong code doubles the
    wait before the next try); a recovery code that works is deleted.
    """
    token = normalised(code)
    is_app_code = token.isdigit() and len(token) == 6
    model: type[TOTPDevice] | type[StaticDevice] = TOTPDevice if is_app_code else StaticDevice
    device = model.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None or len(token) > 16:
        return Verification(device=None)
    allowed, data = device.verify_is_allowed()
    if not allowed:
        return Verification(device=None, locked_until=(data or {}).get("locked_until"))
    verified = django_otp.verify_token(user, device.persistent_id, token)
    return Verification(device=verified)


# Reset by an administrator -----------------------------------------------------------------------------


@transaction.atomic
def reset(*, person: User, by: User, reason: str = "") -> int:
    """Remove the person's app and recovery codes: they enrol again at their next sign-in.

    Returns the number of devices removed. Their open sessions lose their verification too (the
    device they name is gone).
    """
    User.objects.select_for_update().filter(pk=person.pk).first()
    apps = TOTPDevice.objects.filter(user=person).count()
    codes = recovery_codes_left(person)
    removed = apps + StaticDevice.objects.filter(user=person).count()
    TOTPDevice.objects.filter(user=person).delete()
    StaticDevice.objects.filter(user=person).delete()
    audit.record(
        actor=by,
        action="second_factor.reset",
        target=person,
        agency=_agency_of(person),
        person=person,
        before={"authenticator_apps": apps, "recovery_codes": codes},
        after={"authenticator_apps": 0, "recovery_codes": 0},
        reason=reason,
    )
    return removed


def _agency_of(person: User) -> Agency | None:
    """The agency the person belongs to today (for the audit trail's agency filter), if any."""
    membership = (
        Membership.objects.active_on(selectors.today())
        .filter(person=person)
        .select_related("unit__agency")
        .order_by("pk")
        .first()
    )
    return membership.unit.agency if membership else None


# Enforcement --------------------------------------------------------------------------------------------


class SecondFactorMiddleware:
    """Until a code is given, a person who needs the second factor reaches only the sign-in, sign-out,
    code and enrolment pages (and static files, /healthz/, the language switch, the API)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths: tuple[str, ...] | None = None
        self._open_prefixes = ("/" + settings.STATIC_URL.lstrip("/"), "/api/")

    def open_paths(self) -> tuple[str, ...]:
        if self._open_paths is None:
            self._open_paths = tuple(
                reverse(name)
                for name in ("login", "logout", "org:otp_verify", "org:otp_enrol", "healthz", "set_language")
            )
        return self._open_paths

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path_info.startswith(self._open_prefixes)
            and request.path_info not in self.open_paths()
            and not user.is_verified()
            and needs_second_factor(user)
        ):
            return self._to_second_factor(request, user)
        return self.get_response(request)

    def _to_second_factor(self, request, user) -> HttpResponse:
        name = "org:otp_verify" if app_device(user) is not None else "org:otp_enrol"
        url = f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request"):
            # An htmx fragment request: the whole page goes to the code page, not the fragment's target.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)
