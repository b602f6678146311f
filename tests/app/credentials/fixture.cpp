#include "credentials/fixture.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/catalog/codec.hpp"
#include "core/catalog/repository.hpp"
#include "core/identity/repository.hpp"
#include "platform/credential_signer.hpp"

namespace cairn::app::credentials::testing {
namespace {

// Serves the issuer documents and status lists by calling the use cases behind the HTTP routes.
class AppFetcher final : public cairn::credentials::DocumentFetcher {
 public:
  explicit AppFetcher(CredentialsContext*& ctx) : ctx_(ctx) {}
  cairn::credentials::FetchResult Fetch(const std::string& url) override {
    ++fetches;
    std::string path;
    if (url.rfind(ctx_->public_url, 0) == 0) {
      path = url.substr(ctx_->public_url.size());
    } else if (auto https = "https://" + Host(); url.rfind(https, 0) == 0) {
      path = url.substr(https.size());  // did:web resolution of an https public URL
    } else {
      return cairn::credentials::FetchResult::Failure("unknown host in " + url);
    }
    const auto Answer = [](core::Result<std::string> body) {
      if (!body.ok()) return cairn::credentials::FetchResult::Success({404, "application/problem+json", "{}"});
      return cairn::credentials::FetchResult::Success({200, "application/ld+json", body.value()});
    };
    if (path.rfind("/status-lists/", 0) == 0) {
      auto list = GetStatusList(*ctx_, path.substr(14));
      return Answer(list.ok() ? core::Result<std::string>(list->json) : core::Result<std::string>(list.error()));
    }
    if (path.rfind("/issuers/", 0) == 0) {
      std::string id = path.substr(9);
      const bool did = id.size() > 9 && id.substr(id.size() - 9) == "/did.json";
      if (did) id = id.substr(0, id.size() - 9);
      auto doc = ControllerDocument(*ctx_, id, did);
      return Answer(doc.ok() ? core::Result<std::string>(doc->dump()) : core::Result<std::string>(doc.error()));
    }
    return cairn::credentials::FetchResult::Success({404, "text/plain", "not found"});
  }
  int fetches = 0;

 private:
  std::string Host() const {
    std::string rest = ctx_->public_url.substr(ctx_->public_url.find("://") + 3);
    return rest.substr(0, rest.find('/'));
  }
  CredentialsContext*& ctx_;
};

CredentialsContext* g_ctx = nullptr;

}  // namespace

std::string Describe(const core::Error& e) {
  std::string out = e.message;
  if (!e.detail.empty()) out += " (" + e.detail + ")";
  for (const auto& f : e.fields) out += " " + f.pointer + ": " + f.message;
  return out;
}

void CredentialsFixture::SetUp() {
  char tmpl[] = "/tmp/cairn-credentials-app-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  dir_ = tmpl;
  auto db = storage::Database::Open("sqlite:" + dir_ + "/cairn.db");
  ASSERT_TRUE(db.ok()) << Describe(db.error());
  db_ = std::move(*db);
  auto migrated = db_->Migrate();
  ASSERT_TRUE(migrated.ok()) << Describe(migrated.error());
  uow_ = std::make_unique<storage::SqlUnitOfWork>(*db_);
  signer_ = platform::MakeCredentialSigner();
  const std::string kek = dir_ + "/kek.key";
  {
    std::ofstream out(kek, std::ios::binary);
    for (int i = 0; i < 32; ++i) out.put(static_cast<char>(i * 7 + 1));
  }
  ::chmod(kek.c_str(), 0600);
  auto vault = KeyVault::Load(kek);
  ASSERT_TRUE(vault.ok()) << Describe(vault.error());
  vault_ = std::make_unique<KeyVault>(vault.value());
  UsePublicUrl("http://127.0.0.1:8080");
  fetcher_ = std::make_unique<AppFetcher>(g_ctx);
}

void CredentialsFixture::UsePublicUrl(const std::string& url) {
  ctx_.reset(new CredentialsContext{*uow_, clock_, ids_, *signer_, *vault_, url});
  g_ctx = ctx_.get();
  awarder_ = std::make_unique<CredentialAwarder>(*ctx_);
}

void CredentialsFixture::TearDown() {
  awarder_.reset();
  ctx_.reset();
  g_ctx = nullptr;
  uow_.reset();
  db_.reset();
  std::filesystem::remove_all(dir_);
}

std::string CredentialsFixture::CreateIssuer(const std::string& name) {
  core::identity::Organization org;
  org.id = ids_.NewId("org");
  org.name = name;
  org.kind = core::identity::OrgKind::kNonprofit;
  org.issuer = true;
  org.created_at = clock_.Now();
  auto status = uow_->Write([&](core::Transaction& tx) -> core::Status {
    tx.Identity().InsertOrganization(org);
    return core::Ok();
  });
  EXPECT_TRUE(status.ok()) << Describe(status.error());
  return org.id;
}

std::string CredentialsFixture::CreateUser(const std::string& email, const std::string& name) {
  core::identity::User user;
  user.id = ids_.NewId("usr");
  user.email = email;
  user.display_name = name;
  user.email_verified = true;
  user.password_hash = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g";
  user.created_at = user.updated_at = clock_.Now();
  auto status = uow_->Write([&](core::Transaction& tx) -> core::Status {
    tx.Identity().InsertUser(user);
    return core::Ok();
  });
  EXPECT_TRUE(status.ok()) << Describe(status.error());
  return user.id;
}

std::string CredentialsFixture::PublishMicroCredential(const std::string& issuer_id) {
  std::ifstream in(std::string(CAIRN_SOURCE_DIR) + "/data/demo/microcredentials.json");
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json demo = nlohmann::json::parse(text.str())["micro_credentials"][0];
  demo.erase("issuer");
  auto content = core::catalog::DecodeContent(demo);
  EXPECT_TRUE(content.ok()) << Describe(content.error());
  core::catalog::MicroCredential mc;
  mc.id = ids_.NewId("mc");
  mc.issuer_id = issuer_id;
  mc.issuer_name = "Issuer";
  mc.version = 1;
  mc.state = core::catalog::State::kPublished;
  mc.content = content.value();
  mc.created_at = mc.updated_at = clock_.Now();
  mc.published_at = clock_.Now();
  mc.created_by = "usr_admin";
  auto status = uow_->Write([&](core::Transaction& tx) -> core::Status {
    return tx.Catalog().InsertVersion(mc, core::catalog::EncodeMicroCredential(mc).dump());
  });
  EXPECT_TRUE(status.ok()) << Describe(status.error());
  return mc.id;
}

core::AwardRequest CredentialsFixture::Request(const std::string& user_id, const std::string& issuer_id,
                                               const std::string& mc_id) {
  core::AwardRequest r;
  r.submission_id = "sub_test" + std::to_string(++submissions_);
  r.enrolment_id = "enr_test" + std::to_string(submissions_);
  r.user_id = user_id;
  r.issuer_id = issuer_id;
  r.micro_credential_id = mc_id;
  r.version = 1;
  r.awarded_at = clock_.Now();
  return r;
}

core::Result<std::string> CredentialsFixture::Award(const core::AwardRequest& request) {
  std::string id;
  auto status = uow_->Write([&](core::Transaction& tx) -> core::Status {
    auto awarded = awarder_->Award(tx, request);
    if (!awarded.ok()) return awarded.error();
    id = awarded.value();
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return id;
}

nlohmann::json CredentialsFixture::SignedJson(const std::string& credential_id) {
  auto page = GetCredentialForPage(*ctx_, credential_id);
  EXPECT_TRUE(page.ok());
  return page.ok() ? page->credential : nlohmann::json();
}

verification::VerificationReport CredentialsFixture::Verify(const nlohmann::json& credential,
                                                            std::optional<std::string> email) {
  verification::VerifyOptions options;
  options.now = std::chrono::floor<std::chrono::seconds>(clock_.Now());
  options.fetcher = fetcher_.get();
  options.recipient_email = std::move(email);
  return verification::VerifyCredential(credential, options);
}

core::identity::Principal CredentialsFixture::Admin(const std::string& issuer_id, const std::string& user_id) {
  core::identity::Principal p;
  p.user_id = user_id;
  p.memberships.push_back({issuer_id, core::identity::Role::kIssuerAdmin});
  return p;
}

std::vector<std::string> CredentialsFixture::AuditActions(const std::string& entity_id) {
  std::vector<std::string> out;
  auto status = db_->Read([&](storage::Tx& tx) -> core::Status {
    std::string action;
    soci::statement st = (tx.sql().prepare << "SELECT action FROM audit_log WHERE entity_id = :id ORDER BY id",
                          soci::use(entity_id, "id"), soci::into(action));
    st.execute(false);
    while (st.fetch()) out.push_back(action);
    return core::Ok();
  });
  EXPECT_TRUE(status.ok());
  return out;
}

}  // namespace cairn::app::credentials::testing
