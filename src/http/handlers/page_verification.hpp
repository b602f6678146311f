#pragma once
// The verification engine as the public pages use it: a live status for a credential's page, a
// report for the /verify form, and a fetcher that answers Cairn's own public documents (issuer
// profiles, status lists) from the router instead of over the network.
#include <string>
#include <string_view>

#include "app/pages/page_views.hpp"
#include "app/pages/pages.hpp"
#include "core/common/clock.hpp"
#include "credentials/fetcher.hpp"
#include "credentials/verifier.hpp"
#include "http/router.hpp"

namespace cairn::http {

// Answers GET for URLs under public_url by dispatching to the router's public routes, so a page
// can verify Cairn's own credentials even where the server cannot reach its own public address
// (a laptop on http://localhost, where loopback fetches are refused). Other URLs go to `outside`.
class LocalDocumentFetcher final : public credentials::DocumentFetcher {
 public:
  LocalDocumentFetcher(const Router& router, std::string public_url, credentials::DocumentFetcher& outside)
      : router_(router), public_url_(std::move(public_url)), outside_(outside) {}
  credentials::FetchResult Fetch(const std::string& url) override;

 private:
  const Router& router_;
  std::string public_url_;
  credentials::DocumentFetcher& outside_;
};

// valid / revoked / expired / not yet valid / invalid, from a verification report.
app::pages::LiveCheck LiveCheckFromReport(const credentials::verification::VerificationReport& report,
                                          std::chrono::sys_seconds now);

app::pages::LiveVerifier MakeLiveVerifier(credentials::DocumentFetcher& fetcher, const core::Clock& clock);

// The /verify page's view of a report.
app::pages::VerifyPage VerifyPageFromReport(const credentials::verification::VerificationReport& report);

}  // namespace cairn::http
