"""Expectations for the public pages: credential pages, badges, portfolios and the verification
page are for anyone; portfolio settings belong to each signed-in user.

Made-up credential ids and handles get a 404 page for everyone, past authorisation."""
from .roles import everyone, signed_in

EXPECTED = {
    "GET /credentials/{id}": everyone(),
    "GET /credentials/{id}/badge.png": everyone(),
    "GET /credentials/{id}/badge.svg": everyone(),
    "GET /portfolio/{handle}": everyone(),
    "GET /verify": everyone(),
    "POST /verify": everyone(),
    "GET /assets-public/pages.css": everyone(),
    "GET /assets-public/verify.js": everyone(),
    "GET /api/v1/me/portfolio": signed_in(),
    "PUT /api/v1/me/portfolio": signed_in(),
}

BODIES = {
    "PUT /api/v1/me/portfolio": {"enabled": False},
}


def fill_path(pattern, context):
    if pattern.startswith("/credentials/{id}"):
        return pattern.replace("{id}", "cred_doesnotexist000000")
    if pattern == "/portfolio/{handle}":
        return "/portfolio/no-such-handle"
    return None
