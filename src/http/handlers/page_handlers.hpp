#pragma once
// The public pages: a credential's page (HTML, or its signed JSON by content negotiation), its
// baked badge downloads, the educator's portfolio and its settings, and the /verify page that
// works with or without JavaScript.
#include <functional>
#include <optional>
#include <string>

#include "app/pages/page_renderer.hpp"
#include "app/pages/pages.hpp"
#include "core/common/clock.hpp"
#include "credentials/fetcher.hpp"
#include "http/router.hpp"

namespace cairn::http {

struct PageHandlerDeps {
  app::pages::PagesContext& ctx;
  const app::pages::PageRenderer& renderer;
  credentials::DocumentFetcher& fetcher;  // for credentials checked on /verify
  const core::Clock& clock;
  // The issuer's own badge PNG for a credential, when one exists; otherwise the pages render the
  // default badge (title and issuer).
  std::function<std::optional<std::string>(const app::pages::PublicCredential&)> badge_png;
};

// A form carrying a baked PNG needs room beside the image (see kMaxVerifyBody).
inline constexpr std::size_t kMaxVerifyFormBody = (4u << 20) + (64u << 10);

void RegisterPageRoutes(Router& router, PageHandlerDeps deps);

// True when the Accept header prefers a JSON representation over HTML (q-values honoured; a
// wildcard alone means HTML).
bool PrefersJson(std::string_view accept);

}  // namespace cairn::http
