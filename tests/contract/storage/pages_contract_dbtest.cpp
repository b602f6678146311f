// The portfolio store on both dialects: one row per user, unique handles, the chosen credentials
// in order, and an audit record with every change.
#include <gtest/gtest.h>

#include "storage/identity_repository.hpp"
#include "storage/sql_audit_log.hpp"
#include "storage/sql_portfolio_store.hpp"
#include "storage_contract.hpp"

namespace cairn::storage {
namespace {

core::TimePoint PagesTime(const char* text) {
  core::TimePoint t{};
  core::ParseTime(text, t);
  return t;
}

void SeedPortfolioUsers(Database& db) {
  auto seeded = db.Write([](Tx& tx) -> core::Status {
    SqlIdentityRepository identity(tx);
    for (const char* id : {"usr_a", "usr_b"}) {
      core::identity::User u;
      u.id = id;
      u.email = std::string(id) + "@example.org";
      u.display_name = id;
      u.password_hash = "x";
      u.created_at = u.updated_at = PagesTime("2026-11-01T00:00:00Z");
      identity.InsertUser(u);
    }
    return core::Ok();
  });
  ASSERT_TRUE(seeded.ok()) << seeded.error().detail;
}

core::AuditRecord PortfolioAudit(const std::string& user, const char* to) {
  return {user, "portfolio.update", "portfolio", user, "off", to, "{}", PagesTime("2026-11-23T08:00:00Z")};
}

app::pages::Portfolio MakePortfolio(const std::string& user, const std::string& handle, bool enabled,
                                    std::vector<std::string> ids) {
  app::pages::Portfolio p;
  p.user_id = user;
  p.handle = handle;
  p.enabled = enabled;
  p.credential_ids = std::move(ids);
  p.updated_at = PagesTime("2026-11-23T08:00:00Z");
  return p;
}

TEST_P(StorageContract, PortfolioIsStoredFoundAndReplaced) {
  SeedPortfolioUsers(db());
  SqlPortfolioStore store(db());
  EXPECT_FALSE(store.FindByUser("usr_a").has_value());
  ASSERT_TRUE(store.Put(MakePortfolio("usr_a", "ada", true, {"cred_2", "cred_1"}), PortfolioAudit("usr_a", "on")).ok());

  auto by_user = store.FindByUser("usr_a");
  ASSERT_TRUE(by_user.has_value());
  EXPECT_EQ(by_user->handle, "ada");
  EXPECT_TRUE(by_user->enabled);
  EXPECT_EQ(by_user->credential_ids, (std::vector<std::string>{"cred_2", "cred_1"}));
  EXPECT_EQ(core::FormatTime(by_user->updated_at), "2026-11-23T08:00:00Z");
  auto by_handle = store.FindByHandle("ada");
  ASSERT_TRUE(by_handle.has_value());
  EXPECT_EQ(by_handle->user_id, "usr_a");

  // A second Put replaces the row; the old handle is free again.
  ASSERT_TRUE(store.Put(MakePortfolio("usr_a", "ada-l", false, {}), PortfolioAudit("usr_a", "off")).ok());
  EXPECT_FALSE(store.FindByHandle("ada").has_value());
  auto replaced = store.FindByUser("usr_a");
  ASSERT_TRUE(replaced.has_value());
  EXPECT_FALSE(replaced->enabled);
  EXPECT_TRUE(replaced->credential_ids.empty());

  std::vector<core::AuditRecord> audit;
  ASSERT_TRUE(db().Read([&](Tx& tx) -> core::Status {
                   audit = SqlAuditLog(tx).ForEntity("portfolio", "usr_a");
                   return core::Ok();
                 }).ok());
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].to_state, "on");
  EXPECT_EQ(audit[1].to_state, "off");
}

TEST_P(StorageContract, PortfolioHandlesAreUniqueAndUsersMustExist) {
  SeedPortfolioUsers(db());
  SqlPortfolioStore store(db());
  ASSERT_TRUE(store.Put(MakePortfolio("usr_a", "shared", true, {}), PortfolioAudit("usr_a", "on")).ok());
  auto taken = store.Put(MakePortfolio("usr_b", "shared", true, {}), PortfolioAudit("usr_b", "on"));
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().code, core::ErrorCode::kConflict);
  EXPECT_FALSE(store.FindByUser("usr_b").has_value());

  auto stranger = store.Put(MakePortfolio("usr_nobody", "nobody", true, {}), PortfolioAudit("usr_nobody", "on"));
  ASSERT_FALSE(stranger.ok());
  EXPECT_EQ(stranger.error().code, core::ErrorCode::kConflict);
  // Nothing half-written: the audit record went with the refused row.
  std::vector<core::AuditRecord> audit;
  ASSERT_TRUE(db().Read([&](Tx& tx) -> core::Status {
                   audit = SqlAuditLog(tx).ForEntity("portfolio", "usr_b");
                   return core::Ok();
                 }).ok());
  EXPECT_TRUE(audit.empty());
}

}  // namespace
}  // namespace cairn::storage
