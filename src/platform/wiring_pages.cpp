#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "app/pages/page_renderer.hpp"
#include "app/pages/pages.hpp"
#include "credentials/fetcher.hpp"
#include "http/handlers/page_handlers.hpp"
#include "http/handlers/page_verification.hpp"
#include "platform/application.hpp"
#include "platform/wiring.hpp"
#include "storage/sql_portfolio_store.hpp"

namespace cairn::platform {

namespace {

// Everything the public pages hold for the server's lifetime.
struct PagesArea {
  PagesArea(Application& app, const http::Router& router)
      : curl{{.allow_private = app.config().fetch_allow_private}},
        // Issuer profiles and status lists of other issuers change rarely; a dead host is
        // asked again after half a minute.
        outside{curl, std::chrono::seconds(300), std::chrono::seconds(30)},
        local{router, PublicUrl(app), outside},
        // A portfolio page verifies each credential it lists; they share their issuers' documents.
        // Revocations of Cairn's own credentials show at once anyway: the pages read them from
        // the database before verifying.
        local_cached{local, std::chrono::seconds(10), std::chrono::seconds(5)},
        portfolios{app.database()},
        ctx{app.unit_of_work(), app.clock(), portfolios, http::MakeLiveVerifier(local_cached, app.clock()),
            PublicUrl(app)} {}

  static std::string PublicUrl(Application& app) {
    std::string url = app.config().public_url;
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
  }

  // The badge image Cairn serves itself for the achievement (the issuer's, or the one the
  // credentials slice renders); images elsewhere are not fetched, so a page view never waits on
  // another server: the default badge is drawn instead.
  std::optional<std::string> OwnBadgeImage(const std::string& url) {
    if (url.empty() || ctx.public_url.empty() || !url.starts_with(ctx.public_url + "/")) return std::nullopt;
    auto fetched = local.Fetch(url);
    static constexpr std::string_view kPngSignature("\x89PNG\r\n\x1a\n", 8);
    if (!fetched.ok() || fetched.document->status != 200 || !fetched.document->body.starts_with(kPngSignature))
      return std::nullopt;
    return std::move(fetched.document->body);
  }

  credentials::CurlFetcher curl;
  credentials::CachingFetcher outside;
  http::LocalDocumentFetcher local;
  credentials::CachingFetcher local_cached;
  storage::SqlPortfolioStore portfolios;
  app::pages::PagesContext ctx;
  app::pages::PageRenderer renderer;
};

}  // namespace

void WirePages(Wiring& w) {
  auto area = std::make_shared<PagesArea>(w.app, w.router);
  w.app.areas().keep.push_back(area);
  http::RegisterPageRoutes(w.router, {.ctx = area->ctx,
                                      .renderer = area->renderer,
                                      .fetcher = area->local,
                                      .clock = w.app.clock(),
                                      .badge_png = [pages = area.get()](const app::pages::PublicCredential& c) {
                                        return pages->OwnBadgeImage(c.image_url);
                                      }});
}

}  // namespace cairn::platform
