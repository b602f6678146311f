"""Expectations for credentials: the signed credentials, the educator's list and CLR, revocation,
the issuer's awards, keys and signing settings, and the public documents verifiers fetch.

Issuer routes take Riverbend (the district admin is its issuer admin); another issuer's admin
passes the policy and is refused by the use case (403). Credentials in the walk are made up, so
revoking one is a 404 for any issuer admin, and changing its visibility a 404 for anyone signed
in (someone else's credential looks like no credential)."""
from .roles import everyone, only, signed_in

_ISSUER_ADMINS = only("district_admin", "platform_admin")
_ANY_ISSUER_ADMIN = only("district_admin", "issuer_admin_other_org", "platform_admin")

EXPECTED = {
    "GET /api/v1/me/credentials": signed_in(),
    "GET /api/v1/me/clr": signed_in(),
    "GET /api/v1/credentials/{id}": everyone(),
    "PUT /api/v1/credentials/{id}/visibility": signed_in(),
    "POST /api/v1/credentials/{id}/revoke": _ANY_ISSUER_ADMIN,
    "GET /api/v1/issuers/{id}/awards": _ISSUER_ADMINS,
    "GET /api/v1/issuers/{id}/keys": _ISSUER_ADMINS,
    "POST /api/v1/issuers/{id}/keys/rotate": _ISSUER_ADMINS,
    "GET /api/v1/issuers/{id}/credential-settings": _ISSUER_ADMINS,
    "PUT /api/v1/issuers/{id}/credential-settings": _ISSUER_ADMINS,
    "GET /issuers/{id}": everyone(),
    "GET /issuers/{id}/did.json": everyone(),
    "GET /status-lists/{id}": everyone(),
    "GET /badges/{mc}/{file}": everyone(),
}

BODIES = {
    "PUT /api/v1/credentials/{id}/visibility": {"visibility": "private"},
    "POST /api/v1/credentials/{id}/revoke": {"reason": "Authorisation walk."},
    "PUT /api/v1/issuers/{id}/credential-settings": {"identity": "hosted", "suite": "eddsa-rdfc-2022"},
}


def fill_path(pattern, context):
    path = pattern
    if path.startswith("/api/v1/credentials/{id}"):
        path = path.replace("{id}", "cred_doesnotexist0000000000")
    if path.startswith("/status-lists/{id}"):
        path = path.replace("{id}", "sl_doesnotexist0000000000")
    if path.startswith("/badges/{mc}/{file}"):
        path = path.replace("{mc}", context["micro_credential"]).replace("{file}", "1.png")
    return path if path != pattern else None
