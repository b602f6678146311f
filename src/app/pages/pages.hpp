#pragma once
// The public pages' use cases: a credential's page (with its live verification status), its
// downloads, the portfolio and its settings.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/pages/page_views.hpp"
#include "app/pages/portfolio.hpp"
#include "core/common/clock.hpp"
#include "core/common/result.hpp"
#include "core/ports/transaction.hpp"

namespace cairn::app::pages {

struct LiveCheck {
  LiveStatus status = LiveStatus::kInvalid;
  std::string message;
};

// Runs the verification engine on a signed credential (bound in platform to credentials::
// verification::Verify, with Cairn's own documents answered locally).
using LiveVerifier = std::function<LiveCheck(const std::string& signed_json)>;

// Verification costs a signature check and a status-list read, so a page view reuses a recent
// answer; a revocation recorded in the database shows at once whatever the cache holds.
class LiveStatusCache {
 public:
  explicit LiveStatusCache(std::chrono::seconds ttl = std::chrono::seconds(30), std::size_t max_entries = 4096)
      : ttl_(ttl), max_entries_(max_entries) {}
  LiveCheck Get(const std::string& id, const std::string& signed_json, const LiveVerifier& verify);

 private:
  struct Entry {
    LiveCheck check;
    std::chrono::steady_clock::time_point expires;
  };
  std::chrono::seconds ttl_;
  std::size_t max_entries_;
  std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

struct PagesContext {
  core::UnitOfWork& uow;
  const core::Clock& clock;
  PortfolioStore& portfolios;
  LiveVerifier verify;
  std::string public_url;  // no trailing slash
  std::shared_ptr<LiveStatusCache> cache = std::make_shared<LiveStatusCache>();
};

struct PublicCredential {
  CredentialPage page;
  std::string signed_json;  // empty for a private credential: its details stay unpublished
  std::string title;        // for the badge image when the issuer gave none
  std::string issuer_name;
  std::string image_url;    // the achievement's own image, if any
};

// kNotFound for an unknown id.
core::Result<PublicCredential> ViewCredential(PagesContext& ctx, const std::string& id);

// kNotFound when the handle is unknown or the portfolio is off.
core::Result<PortfolioPage> ViewPortfolio(PagesContext& ctx, const std::string& handle);

struct PortfolioSettings {
  bool enabled = false;
  std::optional<std::string> handle;  // kept, or derived from the display name, when absent
  std::optional<std::vector<std::string>> credential_ids;  // kept when absent
};

// The signed-in educator's settings; a default (off) when never set.
core::Result<Portfolio> GetMyPortfolio(PagesContext& ctx, const std::string& user_id);
// kInvalidInput (422 with pointers) for a bad handle or a credential that is not the user's;
// kConflict when the handle is taken.
core::Result<Portfolio> PutMyPortfolio(PagesContext& ctx, const std::string& user_id,
                                       const PortfolioSettings& settings);

}  // namespace cairn::app::pages
