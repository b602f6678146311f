#pragma once
// POST /api/v1/verify: the verification engine for anyone, signed in or not. The body is the
// credential itself, in any form the engine reads; the answer is its report.
#include "core/common/clock.hpp"
#include "credentials/fetcher.hpp"
#include "http/router.hpp"

namespace cairn::http {

struct VerifyHandlerDeps {
  // Shared by every request, so one issuer's profile is fetched once per cache lifetime.
  credentials::DocumentFetcher& fetcher;
  const core::Clock& clock;
};

// Baked PNGs carry the credential plus the image; 4 MiB leaves room for a large badge picture.
inline constexpr std::size_t kMaxVerifyBody = 4u << 20;

void RegisterVerifyRoutes(Router& router, const VerifyHandlerDeps& deps);

}  // namespace cairn::http
