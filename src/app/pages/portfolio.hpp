#pragma once
// An educator's public portfolio: on or off, under a handle they choose, listing the credentials
// they picked, in their order.
#include <optional>
#include <string>
#include <vector>

#include "core/common/clock.hpp"
#include "core/common/result.hpp"
#include "core/ports/transaction.hpp"

namespace cairn::app::pages {

struct Portfolio {
  std::string user_id;
  std::string handle;  // lowercase letters, digits and hyphens; unique
  bool enabled = false;
  std::vector<std::string> credential_ids;
  core::TimePoint updated_at{};
};

// Kept beside the transaction-scoped repositories because the portfolio is the pages' own small
// table; Put stores the portfolio and its audit record in one transaction.
class PortfolioStore {
 public:
  virtual ~PortfolioStore() = default;
  virtual std::optional<Portfolio> FindByUser(const std::string& user_id) = 0;
  virtual std::optional<Portfolio> FindByHandle(const std::string& handle) = 0;
  // kConflict when another user holds the handle.
  virtual core::Status Put(const Portfolio& portfolio, const core::AuditRecord& audit) = 0;
};

inline constexpr std::size_t kMinHandleLength = 3;
inline constexpr std::size_t kMaxHandleLength = 40;
inline constexpr std::size_t kMaxPortfolioCredentials = 200;

// Empty when the handle is acceptable, else why not (for a 422 field error).
std::string CheckHandle(const std::string& handle);

}  // namespace cairn::app::pages
