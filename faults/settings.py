"""Settings of the processes the fault suite starts: the local settings, with the test suite's hasher.

The factories store passwords with the test settings' MD5 hasher (fast); the servers must accept
them at the login page, so they check passwords the same way. Nothing else differs from
``kpi_portal.settings.local``.
"""

from kpi_portal.settings.local import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
