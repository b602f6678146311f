"""Expectations for evidence uploads (tus) and evidence files.

Any signed-in person may start an upload or ask about a file; whose upload or file it is, and
whether the review area lends a reviewer access, is decided in the use case (someone else's is
404, past authorisation). The walk sends no Tus-Resumable header, so signed-in tus requests end in
412, which is also past authorisation; ids are made up."""
from .roles import everyone, signed_in

EXPECTED = {
    "OPTIONS /api/v1/uploads": everyone(),
    "POST /api/v1/uploads": signed_in(),
    "HEAD /api/v1/uploads/{id}": signed_in(),
    "PATCH /api/v1/uploads/{id}": signed_in(),
    "DELETE /api/v1/uploads/{id}": signed_in(),
    "GET /api/v1/files/{id}": signed_in(),
    "GET /api/v1/files/{id}/content": signed_in(),
    "DELETE /api/v1/files/{id}": signed_in(),
}

BODIES = {}


def fill_path(pattern, context):
    if pattern.startswith("/api/v1/uploads/{id}"):
        return pattern.replace("{id}", "upl_doesnotexist0000000000")
    if pattern.startswith("/api/v1/files/{id}"):
        return pattern.replace("{id}", "fil_doesnotexist0000000000")
    return None
