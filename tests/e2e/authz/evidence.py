"""Expectations for the educator's side: enrolments, drafts, submissions, coach sessions and
district time frames.

Every signed-in person may call the educator routes; whose enrolment it is is decided in the use
case (someone else's is 404, which is past authorisation; a platform admin reads but does not
write an educator's work: 403). The {id} of an enrolment is one the
district admin made for themselves, so the owner's path is walked too; the submission id is made
up (404 for everyone). Coach sessions need an issuer admin (another issuer's admin then gets 404);
the issuer's enrolment list needs an admin of that issuer; a time frame needs a district admin."""
from .roles import only, signed_in

EXPECTED = {
    "POST /api/v1/enrolments": signed_in(),
    "GET /api/v1/enrolments": signed_in(),
    "GET /api/v1/enrolments/{id}": signed_in(),
    "GET /api/v1/enrolments/{id}/draft": signed_in(),
    # A platform admin may read an educator's draft but never write it or submit it.
    "PUT /api/v1/enrolments/{id}/draft": signed_in(platform_admin=403),
    "GET /api/v1/enrolments/{id}/draft/revisions": signed_in(),
    "GET /api/v1/enrolments/{id}/draft/revisions/{revision}": signed_in(),
    "POST /api/v1/enrolments/{id}/submissions": signed_in(platform_admin=403),
    "GET /api/v1/enrolments/{id}/submissions": signed_in(),
    "POST /api/v1/enrolments/{id}/coach-sessions": only(
        "district_admin", "issuer_admin_other_org", "platform_admin"),
    "GET /api/v1/submissions/{id}": signed_in(),
    "POST /api/v1/submissions/{id}/withdraw": signed_in(),
    "PUT /api/v1/organizations/{id}/enrolment-policy": only("district_admin", "platform_admin"),
    "GET /api/v1/organizations/{id}/enrolment-policy": only("district_admin", "platform_admin"),
    "GET /api/v1/issuers/{id}/enrolments": only("district_admin", "platform_admin"),
}

BODIES = {
    "PUT /api/v1/organizations/{id}/enrolment-policy": {"days": None},
    "PUT /api/v1/enrolments/{id}/draft": {"revision": 0, "overview": ["Authorisation walk."]},
    "POST /api/v1/enrolments/{id}/submissions": {"revision": 1},
}


def fill_path(pattern, context):
    if pattern.startswith("/api/v1/enrolments/{id}"):
        if "enrolment" not in context:
            status, body, _ = context["admin"].request(
                "POST", "/api/v1/enrolments", {"micro_credential_id": context["micro_credential"]})
            assert status in (200, 201), f"cannot enrol for the walk: {status} {body}"
            context["enrolment"] = body["id"]
        return pattern.replace("{id}", context["enrolment"]).replace("{revision}", "1")
    if pattern.startswith("/api/v1/submissions/{id}"):
        return pattern.replace("{id}", "sub_doesnotexist0000000000")
    return None
