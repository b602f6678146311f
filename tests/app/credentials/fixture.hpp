#pragma once
// The credentials slice over real parts: a fresh SQLite database through the SQL unit of work,
// the real signer (src/credentials through platform's adapter), a KEK in a 0600 file, and a
// DocumentFetcher that answers the issuer's URLs from the same use cases the HTTP routes call.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "app/credentials/credentials.hpp"
#include "core/catalog/micro_credential.hpp"
#include "credentials/fetcher.hpp"
#include "credentials/verifier.hpp"
#include "storage/database.hpp"
#include "storage/sql_unit_of_work.hpp"
#include "support/clock_and_ids.hpp"

namespace cairn::app::credentials::testing {

namespace verification = cairn::credentials::verification;

class CredentialsFixture : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  // Reopens the context with another public URL (e.g. https for did:web).
  void UsePublicUrl(const std::string& url);

  std::string CreateIssuer(const std::string& name);
  std::string CreateUser(const std::string& email, const std::string& name);
  // Publishes the first demo micro-credential under the issuer; returns its id (version 1).
  std::string PublishMicroCredential(const std::string& issuer_id);
  core::AwardRequest Request(const std::string& user_id, const std::string& issuer_id,
                             const std::string& mc_id);
  // Awards through the Awarder inside one write transaction, as the review decision does.
  core::Result<std::string> Award(const core::AwardRequest& request);
  nlohmann::json SignedJson(const std::string& credential_id);
  verification::VerificationReport Verify(const nlohmann::json& credential,
                                          std::optional<std::string> email = std::nullopt);
  core::identity::Principal Admin(const std::string& issuer_id, const std::string& user_id = "usr_admin");
  std::vector<std::string> AuditActions(const std::string& entity_id);

  std::string dir_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<storage::SqlUnitOfWork> uow_;
  cairn::testing::ManualClock clock_;
  cairn::testing::RandomIdGenerator ids_;
  std::unique_ptr<core::Signer> signer_;
  std::unique_ptr<KeyVault> vault_;
  std::unique_ptr<CredentialsContext> ctx_;
  std::unique_ptr<CredentialAwarder> awarder_;
  std::unique_ptr<cairn::credentials::DocumentFetcher> fetcher_;
  int submissions_ = 0;
};

std::string Describe(const core::Error& e);

}  // namespace cairn::app::credentials::testing
