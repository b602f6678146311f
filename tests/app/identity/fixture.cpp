#include "fixture.hpp"

#include <stdlib.h>

#include <filesystem>

#include "app/identity/accounts.hpp"
#include "app/identity/invitations.hpp"
#include "app/identity/organizations.hpp"
#include "app/identity/sessions.hpp"
#include "storage/sql_audit_log.hpp"

namespace cairn::app::identity::testing {

std::string Describe(const core::Error& e) {
  std::string out = e.message + " [" + e.detail + "]";
  for (const auto& f : e.fields) out += " " + f.pointer + ": " + f.message;
  return out;
}

std::vector<std::string> Pointers(const core::Error& e) {
  std::vector<std::string> out;
  for (const auto& f : e.fields) out.push_back(f.pointer);
  return out;
}

void IdentityFixture::SetUp() {
  char tmpl[] = "/tmp/cairn-identity-app-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  dir_ = tmpl;
  auto db = storage::Database::Open("sqlite:" + dir_ + "/cairn.db");
  ASSERT_TRUE(db.ok()) << Describe(db.error());
  db_ = std::move(*db);
  auto migrated = db_->Migrate();
  ASSERT_TRUE(migrated.ok()) << Describe(migrated.error());
  uow_ = std::make_unique<storage::SqlUnitOfWork>(*db_);
  hasher_ = std::make_unique<Argon2idPasswordHasher>(Argon2idOptions{1, 8u << 20, 2});
  sink_ = std::make_unique<cairn::testing::SmtpSink>();
  mail::SmtpOptions smtp;
  smtp.port = sink_->port();
  smtp.from_address = "noreply@cairn.test";
  smtp.from_name = "Cairn";
  smtp.starttls = mail::StartTls::kNone;
  mailer_ = std::make_unique<mail::SmtpMailer>(smtp);
  IdentityOptions options;
  options.public_url = "https://cairn.test";
  ctx_ = std::make_unique<IdentityContext>(
      IdentityContext{*uow_, clock_, ids_, *hasher_, secrets_, *mailer_, options});
  worker_ = StartEmailWorker(*ctx_);
}

std::unique_ptr<jobs::Worker> IdentityFixture::StartEmailWorker(IdentityContext& ctx) {
  jobs::WorkerOptions options;
  options.poll = std::chrono::milliseconds(10);
  auto worker = std::make_unique<jobs::Worker>(
      *uow_, clock_,
      std::map<std::string, jobs::Handler>{
          {std::string(kAccountEmailJobKind),
           [&ctx](const core::jobs::Job& job) { return DeliverAccountEmail(ctx, job.payload); }}},
      std::vector<jobs::PeriodicKind>{}, options);
  worker->Start();
  return worker;
}

void IdentityFixture::TearDown() {
  worker_.reset();
  ctx_.reset();
  uow_.reset();
  db_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string IdentityFixture::CreateVerifiedUser(const std::string& email, const std::string& password) {
  auto signed_up = SignUp(*ctx_, {email, "User " + email.substr(0, email.find('@')), password});
  EXPECT_TRUE(signed_up.ok()) << Describe(signed_up.error());
  auto mail = sink_->WaitForMessageTo(email);
  auto verified = VerifyEmail(*ctx_, cairn::testing::ExtractToken(mail.text));
  EXPECT_TRUE(verified.ok()) << Describe(verified.error());
  std::string id;
  (void)uow_->Read([&](core::Transaction& tx) -> core::Status {
    id = tx.Identity().FindUserByEmail(email)->id;
    return core::Ok();
  });
  return id;
}

std::string IdentityFixture::CreatePlatformAdminUser(const std::string& email) {
  auto admin = CreatePlatformAdmin(*ctx_, {email, "Platform Admin", "correct horse battery"});
  EXPECT_TRUE(admin.ok()) << Describe(admin.error());
  return admin.ok() ? admin->id : "";
}

core::identity::Principal IdentityFixture::SignInAs(const std::string& email,
                                                    const std::string& password) {
  auto in = SignIn(*ctx_, {email, password, "192.0.2.1"});
  EXPECT_TRUE(in.ok()) << Describe(in.error());
  return in.ok() ? in->principal : core::identity::Principal{};
}

std::string IdentityFixture::CreateOrg(const core::identity::Principal& admin, const std::string& name,
                                       const std::string& kind, const std::string& parent) {
  auto org = CreateOrganization(*ctx_, admin, {name, kind, parent, std::nullopt});
  EXPECT_TRUE(org.ok()) << Describe(org.error());
  return org.ok() ? org->id : "";
}

core::identity::Principal IdentityFixture::AddMember(const core::identity::Principal& admin,
                                                     const std::string& org, const std::string& email,
                                                     const std::string& role) {
  auto inv = Invite(*ctx_, admin, {org, email, role});
  EXPECT_TRUE(inv.ok()) << Describe(inv.error());
  auto mail = sink_->WaitForMessageTo(email);
  auto accepted = AcceptInvitation(
      *ctx_, {cairn::testing::ExtractToken(mail.text), "Member " + email, "correct horse battery"});
  EXPECT_TRUE(accepted.ok()) << Describe(accepted.error());
  return SignInAs(email);
}

std::vector<std::string> IdentityFixture::AuditActions(const std::string& entity_type,
                                                       const std::string& entity_id) {
  std::vector<std::string> actions;
  auto read = db_->Read([&](storage::Tx& tx) -> core::Status {
    for (const auto& r : storage::SqlAuditLog(tx).ForEntity(entity_type, entity_id))
      actions.push_back(r.action);
    return core::Ok();
  });
  EXPECT_TRUE(read.ok());
  return actions;
}

long long IdentityFixture::CountRows(const std::string& table) {
  long long n = -1;
  auto read = db_->Read([&](storage::Tx& tx) -> core::Status {
    tx.sql() << "SELECT count(*) FROM " + table, soci::into(n);
    return core::Ok();
  });
  EXPECT_TRUE(read.ok());
  return n;
}

}  // namespace cairn::app::identity::testing
