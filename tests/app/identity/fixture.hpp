#pragma once
// A complete identity stack for use-case tests: a fresh SQLite file, the SQL unit of work, real
// Argon2id (with light parameters so the suite stays quick), real secrets, and SmtpMailer sending
// to a real SMTP server. Time is a ManualClock the test moves.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "app/identity/context.hpp"
#include "app/identity/sodium_crypto.hpp"
#include "jobs/worker.hpp"
#include "mail/smtp_mailer.hpp"
#include "storage/database.hpp"
#include "storage/sql_unit_of_work.hpp"
#include "support/clock_and_ids.hpp"
#include "support/smtp_sink.hpp"

namespace cairn::app::identity::testing {

class IdentityFixture : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // The job worker that sends queued account emails, as the server runs it, polling often.
  std::unique_ptr<jobs::Worker> StartEmailWorker(IdentityContext& ctx);

  // Signs up, follows the emailed link and returns the new user id.
  std::string CreateVerifiedUser(const std::string& email, const std::string& password = "correct horse battery");
  std::string CreatePlatformAdminUser(const std::string& email);
  core::identity::Principal SignInAs(const std::string& email,
                                     const std::string& password = "correct horse battery");
  std::string CreateOrg(const core::identity::Principal& admin, const std::string& name,
                        const std::string& kind, const std::string& parent = "");
  // Invites, accepts (creating the account when needed) and returns the member's principal.
  core::identity::Principal AddMember(const core::identity::Principal& admin, const std::string& org,
                                      const std::string& email, const std::string& role);

  // Audit actions recorded for one entity, oldest first.
  std::vector<std::string> AuditActions(const std::string& entity_type, const std::string& entity_id);
  long long CountRows(const std::string& table);

  std::string dir_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<storage::SqlUnitOfWork> uow_;
  cairn::testing::ManualClock clock_;
  cairn::testing::RandomIdGenerator ids_;
  std::unique_ptr<Argon2idPasswordHasher> hasher_;
  SodiumSecretGenerator secrets_;
  std::unique_ptr<cairn::testing::SmtpSink> sink_;
  std::unique_ptr<mail::SmtpMailer> mailer_;
  std::unique_ptr<IdentityContext> ctx_;
  std::unique_ptr<jobs::Worker> worker_;  // over ctx_; a test may reset it to run its own
};

std::string Describe(const core::Error& e);
std::vector<std::string> Pointers(const core::Error& e);

}  // namespace cairn::app::identity::testing
