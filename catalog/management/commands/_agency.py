from django.core.management.base import CommandError

from org.models import Agency


def agency_from(code: str) -> Agency:
    try:
        return Agency.objects.get(code=code.upper())
    except Agency.DoesNotExist:
        known = ", ".join(Agency.objects.values_list("code", flat=True)) or "none"
        raise CommandError(f"No agency with code {code!r}; known: {known}.") from None
