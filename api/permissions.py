from rest_framework.permissions import BasePermission

from .models import ApiClient


class IsApiClient(BasePermission):
    """Only a request authenticated with an active client key (see ``ApiKeyAuthentication``)."""

    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, ApiClient) and request.auth.is_active
