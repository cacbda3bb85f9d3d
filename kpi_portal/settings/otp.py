"""The second factor (django-otp): a TOTP app code after the password, for those who decide.

Imported by ``base.py``. Who must use it is decided by ``org.otp.needs_second_factor``; these are the
knobs (docs/security.md).
"""

import environ

env = environ.Env()

# Everyone, not only HR, leaders, administrators and province scope, must use a second factor.
# One switch for the whole installation: an agency that wants it for its staff asks the operator.
OTP_REQUIRED_FOR_ALL = env.bool("OTP_REQUIRED_FOR_ALL", default=False)
# The name the authenticator app shows beside the account.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="KPI Portal")
# After n wrong codes in a row the next try waits 2^(n-1) × factor seconds (django-otp throttling),
# for the app codes and the recovery codes alike.
OTP_TOTP_THROTTLE_FACTOR = env.int("OTP_TOTP_THROTTLE_FACTOR", default=1)
OTP_STATIC_THROTTLE_FACTOR = env.int("OTP_STATIC_THROTTLE_FACTOR", default=1)
# Recovery codes shown once at enrolment, each usable once.
OTP_RECOVERY_CODES = 10
# The Django admin lists the devices (django-otp's own admin) but never shows their secrets; a reset
# goes through the audited page (/people/<id>/second-factor/).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
