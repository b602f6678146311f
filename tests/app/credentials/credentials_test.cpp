// Awarding, verifying, tampering, revoking and rotating over the real pieces (see fixture.hpp).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "credentials/fixture.hpp"
#include "credentials/jsonld.hpp"
#include "credentials/rdfc.hpp"
#include "credentials/tamper.hpp"

namespace cairn::app::credentials::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using cairn::credentials::verification::Outcome;

std::string CheckOutcome(const verification::VerificationReport& r, std::string_view id) {
  const auto* check = r.Find(id);
  return check ? std::string(verification::OutcomeName(check->outcome)) + ": " + check->message : "missing";
}

class AwardTest : public CredentialsFixture {
 protected:
  void SetUp() override {
    CredentialsFixture::SetUp();
    issuer_ = CreateIssuer("National Center for Teaching");
    educator_ = CreateUser("maria@school.test", "Maria Lopez");
    mc_ = PublishMicroCredential(issuer_);
  }
  std::string AwardOne() {
    auto request = Request(educator_, issuer_, mc_);
    request.final_ratings = {{"process-language", "meets"}, {"next-steps", "exceeds"},
                             {"revision", "meets"}, {"reflection", "meets"}};
    auto id = Award(request);
    EXPECT_TRUE(id.ok()) << Describe(id.error());
    return id.ok() ? id.value() : "";
  }
  std::string issuer_, educator_, mc_;
};

TEST_F(AwardTest, AnAwardedCredentialVerifiesWithEveryCheckPassed) {
  const std::string id = AwardOne();
  ASSERT_EQ(id.rfind("cred_", 0), 0u);
  const json credential = SignedJson(id);
  const auto report = Verify(credential, "maria@school.test");
  EXPECT_TRUE(report.verified) << report.ToJson().dump(2);
  for (const auto* check : {"structure", "proof", "issuer_key", "validity", "status", "recipient"})
    EXPECT_EQ(CheckOutcome(report, check).substr(0, 6), "passed") << check << " " << CheckOutcome(report, check);
  // Someone else's email does not match the hashed identifier.
  EXPECT_FALSE(Verify(credential, "james@school.test").verified);
}

TEST_F(AwardTest, TheCredentialHasTheOpenBadgesShape) {
  const json c = SignedJson(AwardOne());
  EXPECT_EQ(c["@context"], json({"https://www.w3.org/ns/credentials/v2",
                                 "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"}));
  EXPECT_EQ(c["type"], json({"VerifiableCredential", "OpenBadgeCredential"}));
  EXPECT_EQ(c["issuer"]["id"], "http://127.0.0.1:8080/issuers/" + issuer_);
  EXPECT_EQ(c["issuer"]["type"], json({"Profile"}));
  EXPECT_EQ(c["issuer"]["name"], "National Center for Teaching");
  EXPECT_TRUE(c.contains("validFrom"));
  EXPECT_FALSE(c.contains("validUntil"));  // the issuer set no expiry
  const json& subject = c["credentialSubject"];
  EXPECT_EQ(subject["type"], json({"AchievementSubject"}));
  const json& identity = subject["identifier"][0];
  EXPECT_EQ(identity["identityType"], "emailAddress");
  EXPECT_EQ(identity["hashed"], true);
  EXPECT_EQ(identity["identityHash"], HashedIdentity("maria@school.test", identity["salt"]));
  EXPECT_EQ(c.dump().find("maria@school.test"), std::string::npos);  // never in clear
  const json& achievement = subject["achievement"];
  EXPECT_EQ(achievement["achievementType"], "MicroCredential");
  EXPECT_EQ(achievement["id"], "http://127.0.0.1:8080/api/v1/micro-credentials/" + mc_ + "/versions/1");
  EXPECT_EQ(achievement["name"], "Growth Mindset Feedback");
  EXPECT_NE(achievement["criteria"]["narrative"].get<std::string>().find("## Rubric"), std::string::npos);
  EXPECT_EQ(achievement["image"]["id"], "http://127.0.0.1:8080/badges/" + mc_ + "/1.png");
  ASSERT_TRUE(achievement.contains("alignment"));
  for (const auto& a : achievement["alignment"]) {
    EXPECT_TRUE(a.contains("targetName"));
    EXPECT_TRUE(a.contains("targetUrl"));
  }
  ASSERT_FALSE(achievement["resultDescription"].empty());
  std::set<std::string> level_ids;
  for (const auto& rd : achievement["resultDescription"]) {
    EXPECT_EQ(rd["resultType"], "RubricCriterionLevel");
    for (const auto& level : rd["rubricCriterionLevel"]) level_ids.insert(level["id"]);
  }
  // The achieved level names one of the published rubric's levels.
  ASSERT_EQ(subject["result"].size(), 4u);
  for (const auto& result : subject["result"])
    EXPECT_EQ(level_ids.count(result["achievedLevel"].get<std::string>()), 1u) << result;
  EXPECT_NE(subject["result"][1]["achievedLevel"].get<std::string>().find("next-steps-level-exceeds"),
            std::string::npos);
  const json& status = c["credentialStatus"];
  EXPECT_EQ(status["type"], "BitstringStatusListEntry");
  EXPECT_EQ(status["statusPurpose"], "revocation");
  EXPECT_TRUE(status["statusListIndex"].is_string());
  EXPECT_EQ(status["statusListCredential"].get<std::string>().rfind("http://127.0.0.1:8080/status-lists/sl_", 0), 0u);
  EXPECT_EQ(c["proof"]["cryptosuite"], "eddsa-rdfc-2022");
  EXPECT_EQ(c["proof"]["verificationMethod"].get<std::string>().rfind(c["issuer"]["id"].get<std::string>() + "#key_", 0), 0u);
}

TEST_F(AwardTest, AwardingIsIdempotentPerSubmission) {
  const auto request = Request(educator_, issuer_, mc_);
  auto first = Award(request);
  auto second = Award(request);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first.value(), second.value());
  auto mine = ListMine(*ctx_, core::identity::Principal{educator_});
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(mine->size(), 1u);
  EXPECT_EQ(AuditActions(first.value()), std::vector<std::string>{"credential.issue"});
}

TEST_F(AwardTest, ARatingOutsideThePinnedRubricIsRefused) {
  auto request = Request(educator_, issuer_, mc_);
  request.final_ratings = {{"process-language", "meets"}, {"invented", "meets"}};
  auto id = Award(request);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_EQ(id.error().fields.at(0).pointer, "/final_ratings/1");
}

TEST_F(AwardTest, StatusIndexesAreDistinctAndNotSequential) {
  std::set<std::string> indexes;
  std::vector<long> in_order;
  for (int i = 0; i < 20; ++i) {
    const json c = SignedJson(AwardOne());
    const std::string index = c["credentialStatus"]["statusListIndex"];
    indexes.insert(index);
    in_order.push_back(std::stol(index));
  }
  EXPECT_EQ(indexes.size(), 20u);
  bool sequential = true;
  for (std::size_t i = 1; i < in_order.size(); ++i) sequential &= in_order[i] == in_order[i - 1] + 1;
  EXPECT_FALSE(sequential);
}

TEST_F(AwardTest, EveryChangeToTheIssuedCredentialFailsVerification) {
  const json credential = SignedJson(AwardOne());
  ASSERT_TRUE(Verify(credential).verified);
  json unsigned_part = credential;
  unsigned_part.erase("proof");
  const auto variants = cairn::credentials::testing::TamperedCopies(unsigned_part, false);
  ASSERT_GT(variants.size(), 100u);
  int failed = 0;
  for (const auto& variant : variants) {
    json tampered = variant.document;
    tampered["proof"] = credential["proof"];
    const auto report = Verify(tampered);
    EXPECT_FALSE(report.verified) << variant.description;
    failed += !report.verified;
  }
  // The proof itself, changed value by value.
  for (const auto& variant : cairn::credentials::testing::TamperedCopies(credential["proof"], false)) {
    json tampered = credential;
    tampered["proof"] = variant.document;
    EXPECT_FALSE(Verify(tampered).verified) << "proof " << variant.description;
  }
  std::printf("%d of %zu tampered variants of an issued credential fail verification\n", failed,
              variants.size());
}

TEST_F(AwardTest, RevokedCredentialVerifiesAsRevokedAndRevocationIsFinal) {
  const std::string id = AwardOne();
  const std::string other = AwardOne();
  const auto admin = Admin(issuer_);
  // Only the issuer's admins, with a reason.
  auto stranger = Revoke(*ctx_, Admin("org_elsewhere"), id, "no");
  ASSERT_FALSE(stranger.ok());
  EXPECT_EQ(stranger.error().code, core::ErrorCode::kForbidden);
  auto empty = Revoke(*ctx_, admin, id, "   ");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, core::ErrorCode::kInvalidInput);

  auto revoked = Revoke(*ctx_, admin, id, "Evidence was plagiarised");
  ASSERT_TRUE(revoked.ok()) << Describe(revoked.error());
  EXPECT_EQ(revoked->status, "revoked");
  const auto report = Verify(SignedJson(id));
  EXPECT_FALSE(report.verified);
  EXPECT_EQ(CheckOutcome(report, "status"), "failed: revoked");
  // The other credential on the same list still verifies.
  EXPECT_TRUE(Verify(SignedJson(other)).verified);

  auto again = Revoke(*ctx_, admin, id, "twice");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, core::ErrorCode::kInvalidState);
  EXPECT_EQ(AuditActions(id), (std::vector<std::string>{"credential.issue", "credential.revoke"}));
  std::string detail;
  auto status = db_->Read([&](storage::Tx& tx) -> core::Status {
    tx.sql() << "SELECT detail FROM audit_log WHERE entity_id = :id AND action = 'credential.revoke'",
        soci::use(id, "id"), soci::into(detail);
    return core::Ok();
  });
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(json::parse(detail)["reason"], "Evidence was plagiarised");
}

TEST_F(AwardTest, OldCredentialsStillVerifyAfterKeyRotationAndNewOnesUseTheNewKey) {
  const json before = SignedJson(AwardOne());
  auto rotated = RotateKey(*ctx_, Admin(issuer_), issuer_);
  ASSERT_TRUE(rotated.ok()) << Describe(rotated.error());
  const json after = SignedJson(AwardOne());
  EXPECT_NE(before["proof"]["verificationMethod"], after["proof"]["verificationMethod"]);
  EXPECT_EQ(after["proof"]["verificationMethod"], rotated->verification_method);
  EXPECT_TRUE(Verify(before).verified);
  EXPECT_TRUE(Verify(after).verified);
  auto keys = ListKeys(*ctx_, Admin(issuer_), issuer_);
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_TRUE((*keys)[0].retired_at.has_value());
  EXPECT_FALSE((*keys)[1].retired_at.has_value());
  auto forbidden = RotateKey(*ctx_, Admin("org_elsewhere"), issuer_);
  ASSERT_FALSE(forbidden.ok());
  EXPECT_EQ(forbidden.error().code, core::ErrorCode::kForbidden);
}

TEST_F(AwardTest, DidKeyIssuersSignWithTheirKeyAndCannotRotate) {
  const std::string other = CreateIssuer("Keyed Issuer");
  const std::string mc = PublishMicroCredential(other);
  core::awards::IssuerSettings settings;
  settings.issuer_id = other;
  settings.identity = core::awards::IssuerIdentity::kDidKey;
  settings.suite = "eddsa-jcs-2022";
  settings.valid_days = 365;
  ASSERT_TRUE(PutSettings(*ctx_, Admin(other), settings).ok());
  auto id = Award(Request(educator_, other, mc));
  ASSERT_TRUE(id.ok()) << Describe(id.error());
  const json c = SignedJson(id.value());
  EXPECT_EQ(c["issuer"]["id"].get<std::string>().rfind("did:key:z6Mk", 0), 0u);
  EXPECT_EQ(c["proof"]["cryptosuite"], "eddsa-jcs-2022");
  EXPECT_TRUE(c.contains("validUntil"));
  EXPECT_TRUE(Verify(c).verified) << Verify(c).ToJson().dump(2);
  auto rotate = RotateKey(*ctx_, Admin(other), other);
  ASSERT_FALSE(rotate.ok());
  EXPECT_EQ(rotate.error().code, core::ErrorCode::kInvalidState);
  // The identity names every credential already signed, so it is fixed once a key exists.
  settings.identity = core::awards::IssuerIdentity::kHosted;
  auto change = PutSettings(*ctx_, Admin(other), settings);
  ASSERT_FALSE(change.ok());
  EXPECT_EQ(change.error().code, core::ErrorCode::kInvalidState);
}

TEST_F(AwardTest, HttpsPublicUrlGivesADidWebIssuerThatResolves) {
  UsePublicUrl("https://cairn.example:8443");
  const json c = SignedJson(AwardOne());
  EXPECT_EQ(c["issuer"]["id"], "did:web:cairn.example%3A8443:issuers:" + issuer_);
  const auto report = Verify(c);
  EXPECT_TRUE(report.verified) << report.ToJson().dump(2);
  auto did = ControllerDocument(*ctx_, issuer_, true);
  ASSERT_TRUE(did.ok());
  EXPECT_EQ((*did)["id"], c["issuer"]["id"]);
  EXPECT_EQ((*did)["assertionMethod"][0], c["proof"]["verificationMethod"]);
}

TEST_F(AwardTest, PrivateCredentialsShowOnlyThatTheyExistToOthers) {
  const std::string id = AwardOne();
  const core::identity::Principal owner{educator_};
  auto hidden = SetVisibility(*ctx_, owner, id, core::awards::Visibility::kPrivate);
  ASSERT_TRUE(hidden.ok());
  auto anonymous = GetCredential(*ctx_, std::nullopt, id);
  ASSERT_TRUE(anonymous.ok());
  EXPECT_FALSE(anonymous->full);
  EXPECT_EQ(json::parse(anonymous->json)["valid"], true);
  EXPECT_EQ(anonymous->json.find("proof"), std::string::npos);
  auto mine = GetCredential(*ctx_, owner, id);
  ASSERT_TRUE(mine.ok());
  EXPECT_TRUE(mine->full);
  // Nobody else may change it, and they cannot tell it exists.
  auto other = SetVisibility(*ctx_, core::identity::Principal{"usr_other"}, id, core::awards::Visibility::kPublic);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, core::ErrorCode::kNotFound);
}

TEST_F(AwardTest, IssuerAwardsExportAsCsvWithFormulasDefused) {
  const std::string awarded = AwardOne();
  auto list = ListIssuerAwards(*ctx_, Admin(issuer_), issuer_);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].recipient_email, "maria@school.test");
  auto rows = *list;
  rows[0].title = "=HYPERLINK(\"http://evil\",\"x\")";
  rows[0].revocation_reason = "line one\nline, two";
  const std::string csv = AwardsCsv(rows);
  EXPECT_EQ(csv.rfind("id,recipient_email,", 0), 0u);
  EXPECT_NE(csv.find("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\""), std::string::npos) << csv;
  EXPECT_NE(csv.find("\"line one\nline, two\""), std::string::npos);
  auto forbidden = ListIssuerAwards(*ctx_, Admin("org_elsewhere"), issuer_);
  ASSERT_FALSE(forbidden.ok());
  EXPECT_EQ(forbidden.error().code, core::ErrorCode::kForbidden);
}

TEST_F(AwardTest, ClrBundlesTheActiveCredentialsAndVerifies) {
  const std::string kept = AwardOne();
  const std::string revoked = AwardOne();
  ASSERT_TRUE(Revoke(*ctx_, Admin(issuer_), revoked, "issued in error").ok());
  auto clr = BuildClr(*ctx_, core::identity::Principal{educator_});
  ASSERT_TRUE(clr.ok()) << Describe(clr.error());
  EXPECT_EQ((*clr)["type"], json({"VerifiableCredential", "ClrCredential"}));
  const json& bundled = (*clr)["credentialSubject"]["verifiableCredential"];
  ASSERT_EQ(bundled.size(), 1u);
  EXPECT_EQ(bundled[0]["id"], CredentialUrl(*ctx_, kept));
  const auto report = Verify(*clr);
  EXPECT_EQ(CheckOutcome(report, "proof").substr(0, 6), "passed") << report.ToJson().dump(2);
  EXPECT_EQ(CheckOutcome(report, "issuer_key").substr(0, 6), "passed") << report.ToJson().dump(2);
}

TEST_F(AwardTest, IssuerKeysAreSealedUnderTheKek) {
  AwardOne();
  std::string pub, nonce, secret;
  auto status = db_->Read([&](storage::Tx& tx) -> core::Status {
    tx.sql() << "SELECT public_multikey, sealed_nonce, sealed_secret FROM issuer_keys LIMIT 1",
        soci::into(pub), soci::into(nonce), soci::into(secret);
    return core::Ok();
  });
  ASSERT_TRUE(status.ok());
  auto opened = vault_->Open({nonce, secret});
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->size(), 32u);
  EXPECT_EQ(secret.size(), (32u + 16u) * 2);  // ciphertext + MAC, hex
  KeyVault wrong(std::array<unsigned char, 32>{});
  EXPECT_FALSE(wrong.Open({nonce, secret}).ok());
}

// The N-Quads of the shape Cairn issues, canonicalized by Cairn and by npm jsonld (tests/credentials/node).
TEST_F(AwardTest, IssuedCredentialCanonicalizesLikeNpmJsonld) {
  if (std::system("node --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "node is not on PATH";
  core::awards::IssuerSettings settings;
  const json credential = SignedJson(AwardOne());
  json unsigned_part = credential;
  unsigned_part.erase("proof");
  const fs::path file = dir_ + "/issued.json";
  std::ofstream(file) << unsigned_part.dump();
  const fs::path out = dir_ + "/reference.json";
  const std::string command = "cd '" + std::string(CAIRN_SOURCE_DIR) +
                              "/tests/credentials/node' && node jsonld_canonize.mjs '" + file.string() +
                              "' > '" + out.string() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0);
  std::ifstream in(out);
  std::stringstream text;
  text << in.rdbuf();
  const json reference = json::parse(text.str());
  ASSERT_EQ(reference.size(), 1u);
  ASSERT_TRUE(reference[0].contains("canonical")) << reference.dump();
  const std::string ours =
      cairn::credentials::rdfc::Canonicalize(cairn::credentials::jsonld::ToRdf(unsigned_part)).nquads;
  EXPECT_EQ(ours, reference[0]["canonical"].get<std::string>());
  EXPECT_GT(std::count(ours.begin(), ours.end(), '\n'), 60);
}

class KekFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/cairn-kek-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& bytes, mode_t mode) {
    const std::string path = dir_ + "/kek.key";
    std::ofstream(path, std::ios::binary) << bytes;
    ::chmod(path.c_str(), mode);
    return path;
  }
  std::string dir_;
};

TEST_F(KekFileTest, AcceptsRawHexAndBase64) {
  const std::string raw(32, '\x05');
  auto a = KeyVault::Load(Write(raw, 0600));
  ASSERT_TRUE(a.ok());
  auto b = KeyVault::Load(Write(std::string(64, '0').replace(0, 2, "05") + "\n", 0600));
  ASSERT_TRUE(b.ok());
  auto c = KeyVault::Load(Write("BQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQU=\n", 0400));
  ASSERT_TRUE(c.ok()) << Describe(c.error());
  // The same 32 bytes, written raw and as base64, open each other's seals.
  EXPECT_TRUE(c->Open(a->Seal("secret")).ok());
  EXPECT_FALSE(b->Open(a->Seal("secret")).ok());
}

TEST_F(KekFileTest, RefusesMissingShortAndReadableFiles) {
  auto missing = KeyVault::Load(dir_ + "/none.key");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("does not exist"), std::string::npos);
  auto short_file = KeyVault::Load(Write(std::string(31, 'x'), 0600));
  ASSERT_FALSE(short_file.ok());
  EXPECT_NE(short_file.error().message.find("not 32 bytes"), std::string::npos);
  auto readable = KeyVault::Load(Write(std::string(32, 'x'), 0644));
  ASSERT_FALSE(readable.ok());
  EXPECT_NE(readable.error().message.find("chmod 0600"), std::string::npos);
}

}  // namespace
}  // namespace cairn::app::credentials::testing

namespace cairn::app::credentials::testing {
namespace {

// The serializer alone: evidence lists exactly the shareable artifacts it is given, and expiry
// appears only when set.
TEST(OpenBadgeSerializerTest, EvidenceIsOnlyTheShareableArtifactsAndExpiryIsOptional) {
  OpenBadgeInput in;
  in.credential_id = "https://cairn.example/credentials/cred_1";
  in.achievement_id = "https://cairn.example/api/v1/micro-credentials/mc_1/versions/1";
  in.issuer = {"https://cairn.example/issuers/org_1", "Issuer", "https://cairn.example/issuers/org_1"};
  in.micro_credential.content.title = "Title";
  in.recipient_email = "a@b.example";
  in.identity_salt = "salt";
  in.status = {"https://cairn.example/status-lists/sl_1", 42};
  nlohmann::json without = SerializeOpenBadgeCredentialV1(in);
  EXPECT_FALSE(without.contains("evidence"));
  EXPECT_FALSE(without.contains("validUntil"));
  EXPECT_EQ(without["credentialStatus"]["statusListIndex"], "42");
  in.evidence = {{in.credential_id + "#evidence-fil_1", "lesson.pdf", "", "document"}};
  in.valid_until = in.valid_from + std::chrono::days(365);
  nlohmann::json with = SerializeOpenBadgeCredentialV1(in);
  ASSERT_EQ(with["evidence"].size(), 1u);
  EXPECT_EQ(with["evidence"][0]["id"], in.credential_id + "#evidence-fil_1");
  EXPECT_EQ(with["evidence"][0]["name"], "lesson.pdf");
  EXPECT_EQ(with["evidence"][0]["genre"], "document");
  EXPECT_EQ(with["validUntil"], "1971-01-01T00:00:00Z");
  EXPECT_EQ(HashedIdentity("a@b.example", "salt"),
            "sha256$48a83bb8047d853b152b49c6d9afb8f6adffda654efe757b3c758f77912cfe4b");
}

}  // namespace
}  // namespace cairn::app::credentials::testing
