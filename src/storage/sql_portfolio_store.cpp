#include "storage/sql_portfolio_store.hpp"

#include <nlohmann/json.hpp>
#include <soci/soci.h>

#include "storage/sql_audit_log.hpp"

namespace cairn::storage {
namespace {

constexpr const char* kSelectByUser =
    "SELECT user_id, handle, enabled, credential_ids, updated_at FROM portfolios WHERE user_id = :key";
constexpr const char* kSelectByHandle =
    "SELECT user_id, handle, enabled, credential_ids, updated_at FROM portfolios WHERE handle = :key";
constexpr const char* kUpsert =
    "INSERT INTO portfolios (user_id, handle, enabled, credential_ids, updated_at) "
    "VALUES (:user, :handle, :enabled, :ids, :updated) ON CONFLICT (user_id) DO UPDATE SET "
    "handle = excluded.handle, enabled = excluded.enabled, credential_ids = excluded.credential_ids, "
    "updated_at = excluded.updated_at";

}  // namespace

std::optional<app::pages::Portfolio> SqlPortfolioStore::Select(const char* sql, const std::string& key) {
  std::optional<app::pages::Portfolio> found;
  auto read = database_.Read([&](Tx& tx) -> core::Status {
    std::string user, handle, ids, updated;
    int enabled = 0;
    tx.sql() << sql, soci::use(key), soci::into(user), soci::into(handle), soci::into(enabled), soci::into(ids),
        soci::into(updated);
    if (!tx.sql().got_data()) return core::Ok();
    app::pages::Portfolio p;
    p.user_id = user;
    p.handle = handle;
    p.enabled = enabled != 0;
    const auto list = nlohmann::json::parse(ids, nullptr, false);
    if (list.is_array())
      for (const auto& id : list)
        if (id.is_string()) p.credential_ids.push_back(id.get<std::string>());
    core::ParseTime(updated, p.updated_at);
    found = std::move(p);
    return core::Ok();
  });
  if (!read) throw std::runtime_error("reading a portfolio failed: " + read.error().detail);
  return found;
}

std::optional<app::pages::Portfolio> SqlPortfolioStore::FindByUser(const std::string& user_id) {
  return Select(kSelectByUser, user_id);
}

std::optional<app::pages::Portfolio> SqlPortfolioStore::FindByHandle(const std::string& handle) {
  return Select(kSelectByHandle, handle);
}

core::Status SqlPortfolioStore::Put(const app::pages::Portfolio& portfolio, const core::AuditRecord& audit) {
  return database_.Write([&](Tx& tx) -> core::Status {
    const int enabled = portfolio.enabled ? 1 : 0;
    const std::string ids = nlohmann::json(portfolio.credential_ids).dump();
    const std::string updated = core::FormatTime(portfolio.updated_at);
    tx.sql() << kUpsert, soci::use(portfolio.user_id), soci::use(portfolio.handle), soci::use(enabled),
        soci::use(ids), soci::use(updated);
    SqlAuditLog(tx).Append(audit);
    return core::Ok();
  });
}

}  // namespace cairn::storage
