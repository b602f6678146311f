#pragma once
// app::pages::PortfolioStore over the portfolios table (migration 0010).
#include "app/pages/portfolio.hpp"
#include "storage/database.hpp"

namespace cairn::storage {

class SqlPortfolioStore final : public app::pages::PortfolioStore {
 public:
  explicit SqlPortfolioStore(Database& database) : database_(database) {}

  std::optional<app::pages::Portfolio> FindByUser(const std::string& user_id) override;
  std::optional<app::pages::Portfolio> FindByHandle(const std::string& handle) override;
  core::Status Put(const app::pages::Portfolio& portfolio, const core::AuditRecord& audit) override;

 private:
  std::optional<app::pages::Portfolio> Select(const char* sql, const std::string& key);
  Database& database_;
};

}  // namespace cairn::storage
