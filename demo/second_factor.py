"""The demo's second factor: one known authenticator secret for every demo account that needs one.

Demo only. Leaders, HR, administrators and province scope must give an app code after the password
(org/otp.py); so that ``make run`` users and the browser tests can sign in, each of those accounts
gets a confirmed app holding ``DEMO_TOTP_SECRET`` (README, "Demo accounts"). Add it to an
authenticator app, or compute the code: ``python -m demo.second_factor``.
"""

from __future__ import annotations

import base64
import binascii
import time

from django_otp.oath import TOTP

# Base32, as an authenticator app asks for it.
DEMO_TOTP_SECRET = "KPIDEMO2FAKHANHHOAKPIDEMO2FAKHAN"
DEMO_TOTP_KEY = binascii.hexlify(base64.b32decode(DEMO_TOTP_SECRET)).decode()


def seed_second_factor() -> int:
    """Give every demo account that needs a second factor a confirmed app with the demo secret.

    Idempotent; returns the number of apps added.
    """
    # Imported here: ``python -m demo.second_factor`` prints a code without Django's settings.
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from org import otp

    people = otp.people_needing_second_factor().exclude(totpdevice__confirmed=True)
    devices = [
        TOTPDevice(user=person, name=otp.APP_DEVICE_NAME, key=DEMO_TOTP_KEY, confirmed=True)
        for person in people
    ]
    TOTPDevice.objects.bulk_create(devices)
    return len(devices)


def demo_code(at: float | None = None) -> str:
    """The demo secret's code at a moment (default now), six digits."""
    totp = TOTP(binascii.unhexlify(DEMO_TOTP_KEY), step=30, t0=0, digits=6)
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


if __name__ == "__main__":
    print(demo_code())
