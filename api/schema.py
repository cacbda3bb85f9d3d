"""How the OpenAPI schema describes the client key (imported by ``ApiConfig.ready``)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "The client's key: `Authorization: Bearer <key>` "
            "(or `Authorization: Token <key>`).",
        }
