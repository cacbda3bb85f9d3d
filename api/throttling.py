from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiClient


class ApiClientRateThrottle(SimpleRateThrottle):
    """A number of requests per period for each client (``DEFAULT_THROTTLE_RATES["api_client"]``)."""

    scope = "api_client"

    def get_rate(self):
        # Read at each request (DRF's own reads the rates once, at import), so a changed setting applies.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiClient):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
