"""Expectations for blind review: the issuer's pool, policy, assignment runs, overrides and ledger;
the reviewer's queue and reviews; the educator's feedback.

Issuer routes take Riverbend (the district admin is its issuer admin); another issuer's admin
passes the policy and is refused by the use case (403). Reviews and submissions in the walk are
made up, so every signed-in caller gets past authorisation to a 404: a review that is not yours is
404 too, so ids cannot be probed. Overrides on a made-up submission are 404 for any issuer admin.
A district's review preferences take Riverbend's district as well; only district admins pass the
policy (one of another district would then get 404 from the use case)."""
from .roles import only, signed_in

_ISSUER_ADMINS = only("district_admin", "platform_admin")
_ANY_ISSUER_ADMIN = only("district_admin", "issuer_admin_other_org", "platform_admin")

EXPECTED = {
    "GET /api/v1/issuers/{id}/reviewers": _ISSUER_ADMINS,
    "GET /api/v1/issuers/{id}/reviewer-candidates": _ISSUER_ADMINS,
    "GET /api/v1/issuers/{id}/submissions": _ISSUER_ADMINS,
    "GET /api/v1/issuers/{id}/reviewers/{user_id}": _ISSUER_ADMINS,
    "PUT /api/v1/issuers/{id}/reviewers/{user_id}": _ISSUER_ADMINS,
    "DELETE /api/v1/issuers/{id}/reviewers/{user_id}": _ISSUER_ADMINS,
    "GET /api/v1/issuers/{id}/review-policy": _ISSUER_ADMINS,
    "PUT /api/v1/issuers/{id}/review-policy": _ISSUER_ADMINS,
    "POST /api/v1/issuers/{id}/assignments/run": _ISSUER_ADMINS,
    # A district's own choices: its district admins (Riverbend's is the walk's district admin).
    "GET /api/v1/organizations/{id}/review-preferences": only("district_admin", "platform_admin"),
    "PUT /api/v1/organizations/{id}/review-preferences": only("district_admin", "platform_admin"),
    "GET /api/v1/issuers/{id}/ledger": _ISSUER_ADMINS,
    "POST /api/v1/submissions/{id}/reviewers": _ANY_ISSUER_ADMIN,
    "DELETE /api/v1/submissions/{id}/reviewers/{user_id}": _ANY_ISSUER_ADMIN,
    "GET /api/v1/reviews": signed_in(),
    "GET /api/v1/reviews/stats": signed_in(),
    "GET /api/v1/reviews/{id}": signed_in(),
    "PUT /api/v1/reviews/{id}": signed_in(),
    "POST /api/v1/reviews/{id}/complete": signed_in(),
    "POST /api/v1/reviews/{id}/return": signed_in(),
    "POST /api/v1/reviews/{id}/recuse": signed_in(),
    "GET /api/v1/submissions/{id}/feedback": signed_in(),
}

BODIES = {
    "PUT /api/v1/issuers/{id}/reviewers/{user_id}": {"load_cap": 3},
    "PUT /api/v1/issuers/{id}/review-policy": {"sla_days": 14},
    "PUT /api/v1/organizations/{id}/review-preferences": {"sla_days": None, "never_same_district": False},
    "POST /api/v1/submissions/{id}/reviewers": {"reviewer_id": "usr_doesnotexist0000000000"},
    "PUT /api/v1/reviews/{id}": {"revision": 0, "ratings": []},
    "POST /api/v1/reviews/{id}/complete": {"revision": 0, "recommendation": "earned"},
    "POST /api/v1/reviews/{id}/return": {"reason": "incomplete"},
    "POST /api/v1/reviews/{id}/recuse": {"reason": "Authorisation walk."},
}


def fill_path(pattern, context):
    path = pattern
    if path.startswith("/api/v1/reviews/{id}"):
        path = path.replace("{id}", "rev_doesnotexist0000000000")
    if "{user_id}" in path:
        path = path.replace("{user_id}", "usr_doesnotexist0000000000")
    return path if path != pattern else None
