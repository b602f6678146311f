#pragma once
// Blind review over HTTP: the issuer's reviewer pool, policy, assignment runs, overrides and
// ledger under /api/v1/issuers/{id}/…, the reviewer's queue and work under /api/v1/reviews, and the
// educator's feedback. Handlers decode, call one use case from app/review and encode.
#include "app/review/review.hpp"
#include "http/router.hpp"

namespace cairn::http {

void RegisterReviewRoutes(Router& router, app::review::ReviewContext& ctx);

}  // namespace cairn::http
