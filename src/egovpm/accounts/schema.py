"""OpenAPI descriptions of our authentication classes (drf-spectacular extensions)."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_bearer_security_scheme_object


class BearerScheme(OpenApiAuthenticationExtension):
    target_class = "egovpm.accounts.auth.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Bearer")


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "egovpm.accounts.auth.CsrfSessionAuthentication"
    name = "sessionAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
