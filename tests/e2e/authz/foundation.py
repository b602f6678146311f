"""Expectations for the foundation's routes: identity, catalog, verification, operations."""
from .roles import everyone, only, signed_in  # noqa: F401

# The resource in each {id} is Riverbend's: its district, or a micro-credential it issues.
EXPECTED = {
    "POST /api/v1/auth/signup": everyone(),
    "POST /api/v1/auth/verify-email": everyone(),
    "POST /api/v1/auth/signin": everyone(),
    "POST /api/v1/auth/signout": signed_in(),
    "POST /api/v1/auth/password-reset": everyone(),
    "POST /api/v1/auth/password-reset/confirm": everyone(),
    "GET /api/v1/me": signed_in(),
    "GET /api/v1/me/tokens": signed_in(),
    "POST /api/v1/me/tokens": signed_in(),
    "DELETE /api/v1/me/tokens/{id}": signed_in(),
    "GET /api/v1/organizations": signed_in(),
    "POST /api/v1/organizations": only("platform_admin"),
    "GET /api/v1/organizations/{id}": signed_in(),
    "GET /api/v1/organizations/{id}/schools": signed_in(),
    "GET /api/v1/organizations/{id}/members": only("district_admin", "platform_admin"),
    "POST /api/v1/organizations/{id}/invitations": only("district_admin", "platform_admin"),
    "POST /api/v1/invitations": only("platform_admin"),
    "POST /api/v1/invitations/accept": everyone(),
    "GET /api/v1/micro-credentials": everyone(),
    "POST /api/v1/micro-credentials": only("district_admin", "platform_admin"),
    "GET /api/v1/micro-credentials/{id}": everyone(),
    "GET /api/v1/micro-credentials/{id}/versions": everyone(),
    "GET /api/v1/micro-credentials/{id}/versions/{version}": everyone(),
    "GET /api/v1/micro-credentials/{id}/draft": only("district_admin", "platform_admin"),
    "POST /api/v1/micro-credentials/{id}/draft": only("district_admin", "platform_admin"),
    "PUT /api/v1/micro-credentials/{id}/draft": only("district_admin", "platform_admin"),
    "POST /api/v1/micro-credentials/{id}/publish": only("district_admin", "platform_admin"),
    "POST /api/v1/micro-credentials/{id}/retire": only("district_admin", "platform_admin"),
    "GET /api/v1/issuers/{id}/micro-credentials": only("district_admin", "platform_admin"),
    "POST /api/v1/verify": everyone(),
    "GET /api/v1/openapi.json": everyone(),
    "GET /healthz": everyone(),
    "GET /readyz": everyone(),
    "GET /metrics": everyone(),
    "GET /{path...}": everyone(),  # the web app and its assets
}

BODIES = {
    "POST /api/v1/organizations": {"name": "Authz Test School District", "kind": "district"},
    "POST /api/v1/organizations/{id}/invitations": {"email": "new.teacher@example.org", "role": "educator"},
    "POST /api/v1/invitations": {"email": "new.admin@example.org"},
    "POST /api/v1/micro-credentials/{id}/publish": {"revision": 1},
    "POST /api/v1/me/tokens": {"name": "integration"},
}
