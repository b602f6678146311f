#include "app/pages/pages.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "app/pages/credential_view.hpp"
#include "core/awards/award_repository.hpp"
#include "core/identity/repository.hpp"
#include "core/identity/user.hpp"

namespace cairn::app::pages {
namespace {

using core::awards::Award;

struct AwardWithEarner {
  Award award;
  std::string earner_name;
};

// The database knows about revocation and expiry before any cache does.
LiveCheck StatusOf(PagesContext& ctx, const Award& award) {
  if (award.revoked_at) return {LiveStatus::kRevoked, "The issuer revoked this credential."};
  if (award.valid_until && *award.valid_until <= ctx.clock.Now())
    return {LiveStatus::kExpired, "This credential's validity period has ended."};
  if (!ctx.verify) return {LiveStatus::kValid, ""};
  return ctx.cache->Get(award.id, award.signed_json, ctx.verify);
}

core::Result<std::vector<AwardWithEarner>> LoadAwards(PagesContext& ctx, const std::vector<std::string>& ids) {
  std::vector<AwardWithEarner> found;
  auto read = ctx.uow.Read([&](core::Transaction& tx) -> core::Status {
    std::map<std::string, std::string> names;
    for (const auto& id : ids) {
      auto award = tx.Awards().FindAward(id);
      if (!award) continue;
      auto name = names.find(award->user_id);
      if (name == names.end()) {
        auto user = tx.Identity().FindUserById(award->user_id);
        name = names.emplace(award->user_id, user ? user->display_name : std::string()).first;
      }
      found.push_back({std::move(*award), name->second});
    }
    return core::Ok();
  });
  if (!read) return read.error();
  return found;
}

// The achievement's image address: a string or an Image object with an id.
std::string ImageOf(const nlohmann::json& credential) {
  const auto subject = credential.find("credentialSubject");
  if (subject == credential.end() || !subject->is_object()) return {};
  const auto achievement = subject->find("achievement");
  if (achievement == subject->end() || !achievement->is_object()) return {};
  const auto image = achievement->find("image");
  if (image == achievement->end()) return {};
  if (image->is_string()) return image->get<std::string>();
  if (image->is_object() && image->contains("id") && (*image)["id"].is_string()) return (*image)["id"].get<std::string>();
  return {};
}

std::string TitleOf(const nlohmann::json& credential) {
  const auto& subject = credential.value("credentialSubject", nlohmann::json::object());
  if (subject.is_object()) {
    const auto achievement = subject.value("achievement", nlohmann::json::object());
    if (achievement.is_object() && achievement.contains("name") && achievement["name"].is_string())
      return achievement["name"].get<std::string>();
  }
  return "Micro-credential";
}

// A default handle from a display name: ASCII letters and digits, lowercased, with runs of
// anything else between them as one hyphen ("James O'Neil" -> "james-o-neil"). Letters outside
// ASCII are dropped rather than guessed at; the educator can choose a better handle.
std::string HandleFrom(std::string_view name) {
  std::string handle;
  for (const char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) && c < 0x80) {
      handle += static_cast<char>(std::tolower(c));
    } else if (c < 0x80 && !handle.empty() && handle.back() != '-') {
      handle += '-';
    }
    if (handle.size() >= kMaxHandleLength) break;
  }
  while (!handle.empty() && handle.back() == '-') handle.pop_back();
  return handle;
}

}  // namespace

LiveCheck LiveStatusCache::Get(const std::string& id, const std::string& signed_json,
                               const LiveVerifier& verify) {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(id);
    if (it != entries_.end() && it->second.expires > now) return it->second.check;
  }
  LiveCheck check = verify(signed_json);  // outside the lock: it may fetch
  std::lock_guard lock(mutex_);
  if (entries_.size() >= max_entries_) entries_.clear();
  entries_[id] = {check, now + ttl_};
  return check;
}

std::string CheckHandle(const std::string& handle) {
  if (handle.size() < kMinHandleLength || handle.size() > kMaxHandleLength)
    return "a handle has " + std::to_string(kMinHandleLength) + " to " + std::to_string(kMaxHandleLength) +
           " characters";
  for (const char ch : handle) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
    if (!ok) return "a handle uses only lowercase letters, digits and hyphens";
  }
  if (handle.front() == '-' || handle.back() == '-') return "a handle does not start or end with a hyphen";
  return {};
}

core::Result<PublicCredential> ViewCredential(PagesContext& ctx, const std::string& id) {
  auto loaded = LoadAwards(ctx, {id});
  if (!loaded) return loaded.error();
  if (loaded->empty()) return core::Error::NotFound("there is no credential " + id);
  const AwardWithEarner& found = loaded->front();
  const Award& award = found.award;

  nlohmann::json document = nlohmann::json::parse(award.signed_json, nullptr, false);
  if (document.is_discarded()) document = nlohmann::json::object();
  const LiveCheck check = StatusOf(ctx, award);
  CredentialFacts facts{award.id, found.earner_name, award.visibility == core::awards::Visibility::kPrivate,
                        check.status, check.message};
  PublicCredential result;
  result.page = BuildCredentialPage(document, facts, ctx.public_url);
  result.title = TitleOf(document);
  result.issuer_name = result.page.issuer_name;
  result.image_url = ImageOf(document);
  if (!facts.is_private) result.signed_json = award.signed_json;
  return result;
}

core::Result<PortfolioPage> ViewPortfolio(PagesContext& ctx, const std::string& handle) {
  auto portfolio = ctx.portfolios.FindByHandle(handle);
  if (!portfolio || !portfolio->enabled) return core::Error::NotFound("there is no portfolio " + handle);
  auto loaded = LoadAwards(ctx, portfolio->credential_ids);
  if (!loaded) return loaded.error();
  PortfolioPage page;
  page.handle = portfolio->handle;
  page.page_url = ctx.public_url + "/portfolio/" + UrlEncode(portfolio->handle);
  std::string owner;
  auto read = ctx.uow.Read([&](core::Transaction& tx) -> core::Status {
    if (auto user = tx.Identity().FindUserById(portfolio->user_id)) owner = user->display_name;
    return core::Ok();
  });
  if (!read) return read.error();
  page.owner_name = owner;
  for (const auto& [award, earner] : *loaded) {
    // Only the owner's own public credentials, whatever the stored list says.
    if (award.user_id != portfolio->user_id || award.visibility == core::awards::Visibility::kPrivate) continue;
    nlohmann::json document = nlohmann::json::parse(award.signed_json, nullptr, false);
    if (document.is_discarded()) document = nlohmann::json::object();
    const LiveCheck check = StatusOf(ctx, award);
    CredentialPage view = BuildCredentialPage(document, {award.id, earner, false, check.status, ""}, ctx.public_url);
    page.entries.push_back({view.achievement_name, view.issuer_name, view.issued_on, view.page_url,
                            view.png_url, check.status});
  }
  return page;
}

core::Result<Portfolio> GetMyPortfolio(PagesContext& ctx, const std::string& user_id) {
  if (auto portfolio = ctx.portfolios.FindByUser(user_id)) return *portfolio;
  Portfolio fresh;
  fresh.user_id = user_id;
  return fresh;
}

core::Result<Portfolio> PutMyPortfolio(PagesContext& ctx, const std::string& user_id,
                                       const PortfolioSettings& settings) {
  Portfolio portfolio;
  portfolio.user_id = user_id;
  std::string display_name;
  std::set<std::string> owned;
  auto read = ctx.uow.Read([&](core::Transaction& tx) -> core::Status {
    if (auto user = tx.Identity().FindUserById(user_id)) display_name = user->display_name;
    for (const auto& award : tx.Awards().ListAwards({.user_id = user_id, .issuer_id = ""}))
      owned.insert(award.id);
    return core::Ok();
  });
  if (!read) return read.error();

  const auto existing = ctx.portfolios.FindByUser(user_id);
  if (existing) portfolio = *existing;
  portfolio.enabled = settings.enabled;
  if (settings.handle) {
    portfolio.handle = *settings.handle;
  } else if (portfolio.handle.empty()) {
    portfolio.handle = HandleFrom(display_name);
    if (!CheckHandle(portfolio.handle).empty()) portfolio.handle = "educator-" + HandleFrom(user_id);
  }
  std::vector<core::FieldError> errors;
  if (const std::string why = CheckHandle(portfolio.handle); !why.empty())
    errors.push_back({"/handle", why});
  if (settings.credential_ids) {
    if (settings.credential_ids->size() > kMaxPortfolioCredentials)
      errors.push_back({"/credential_ids", "at most " + std::to_string(kMaxPortfolioCredentials) + " credentials"});
    std::set<std::string> seen;
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < settings.credential_ids->size(); ++i) {
      const std::string& id = (*settings.credential_ids)[i];
      if (!owned.contains(id)) {
        errors.push_back({"/credential_ids/" + std::to_string(i), "you hold no credential " + id});
      } else if (seen.insert(id).second) {
        ids.push_back(id);
      }
    }
    portfolio.credential_ids = std::move(ids);
  }
  if (!errors.empty()) return core::Error::InvalidInput("the portfolio settings are not valid", std::move(errors));

  portfolio.updated_at = ctx.clock.Now();
  nlohmann::json detail = {{"enabled", portfolio.enabled},
                           {"handle", portfolio.handle},
                           {"credentials", portfolio.credential_ids.size()}};
  const core::AuditRecord audit{user_id,
                                "portfolio.update",
                                "portfolio",
                                user_id,
                                existing && existing->enabled ? "on" : "off",
                                portfolio.enabled ? "on" : "off",
                                detail.dump(),
                                portfolio.updated_at};
  if (auto put = ctx.portfolios.Put(portfolio, audit); !put) {
    if (put.error().code == core::ErrorCode::kConflict)
      return core::Error::Conflict("the handle " + portfolio.handle + " is taken; choose another");
    return put.error();
  }
  return portfolio;
}

}  // namespace cairn::app::pages
