// Verification end to end. Controller documents and status lists are served by a real HTTP
// server on 127.0.0.1 and fetched with CurlFetcher; the fixtures' https URLs are mapped onto that
// server by RewritingFetcher, which changes only the address, never the answer.
#include "credentials/verifier.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "credentials/badge_image.hpp"
#include "credentials/baking.hpp"
#include "credentials/controller_resolution.hpp"
#include "credentials/data_integrity.hpp"
#include "credentials/digest.hpp"
#include "credentials/multikey.hpp"
#include "credentials/ob_structure.hpp"
#include "credentials/status_list.hpp"
#include "local_http_server.hpp"
#include "tamper.hpp"
#include "vector_files.hpp"

namespace cairn::credentials::verification {
namespace {

using nlohmann::json;
using testing::LocalHttpServer;
using testing::ReadStandardsFile;
using testing::ReadStandardsJson;

constexpr const char* kTestKeyMultibase = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi";

std::chrono::sys_seconds Now() { return *ParseCredentialDateTime("2026-01-01T00:00:00Z"); }

// https://host/path and http://host/path → http://127.0.0.1:<port>/host/path, over real HTTP.
class RewritingFetcher : public DocumentFetcher {
 public:
  explicit RewritingFetcher(const LocalHttpServer& server) : server_(server) {}
  FetchResult Fetch(const std::string& url) override {
    std::string rest = url;
    for (const char* scheme : {"https://", "http://"}) {
      if (rest.rfind(scheme, 0) == 0) rest = rest.substr(std::string(scheme).size());
    }
    return curl_.Fetch(server_.Url("/" + rest));
  }

 private:
  const LocalHttpServer& server_;
  CurlFetcher curl_{{.allow_private = true}};
};

// Serves what `url` should answer with at the path RewritingFetcher maps it to.
void Serve(const LocalHttpServer& server, const std::string& url, const std::string& body) {
  server.Put(url.substr(url.find("://") + 3), body);
}

json ControllerDocument(const std::string& id, const std::vector<std::string>& keys) {
  json doc = {
      {"@context", {"https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"}},
      {"id", id},
      {"verificationMethod", json::array()},
      {"assertionMethod", json::array()}};
  for (const auto& key : keys) {
    doc["verificationMethod"].push_back({{"id", id + "#" + key},
                                         {"type", "Multikey"},
                                         {"controller", id},
                                         {"publicKeyMultibase", key}});
    doc["assertionMethod"].push_back(id + "#" + key);
  }
  return doc;
}

// The issuers of 1EdTech's fixtures. 1EdTech publishes no controller documents for them, so
// these are written from the keys the fixtures name (as the test vectors' synthesized one is).
void ServeFixtureIssuers(const LocalHttpServer& server) {
  Serve(server, "https://example.edu/issuers/565049",
        ReadStandardsFile(
            "ob-v3p0/test-vectors/eddsa-rdfc-2022/controller-document.synthesized.json"));
  Serve(server, "https://example.com/issuers/876543",
        ControllerDocument("https://example.com/issuers/876543",
                           {kTestKeyMultibase, "z6MkrvfzkMnvCroEUP2DVc9SHPE48CRsvHiVSusHioxTYu1x"})
            .dump());
  Serve(server, "https://1edtech.edu/issuers/565049",
        ControllerDocument("https://1edtech.edu/issuers/565049",
                           {kTestKeyMultibase, "z6Mknyb2Gb4NxzW3xSr9ChTtdQZ1zs77piQ3r9SaJ9vMzmrs"})
            .dump());
  Serve(server, "https://state.gov/issuers/565049",
        ControllerDocument("https://state.gov/issuers/565049",
                           {"z6MkoMGF38Ck9xkdqrbZt4h9eHb1qc3GhAAkoSWa4Vy3SHRN"})
            .dump());
  Serve(server,
        "https://raw.githubusercontent.com/1EdTech/digital-credentials-public-validator/refs/heads/"
        "main/inspector-vc/src/test/resources/ob30/bit-string-list/testlist",
        ReadStandardsFile("ob-v3p0/validator-fixtures/bit-string-list/testlist"));
}

// One line per check, for failure messages.
std::string Summary(const VerificationReport& report) {
  std::string text = std::string(VerdictName(report.verdict)) + "\n";
  for (const Check& c : report.checks) {
    text += "  " + c.id + " " + std::string(OutcomeName(c.outcome)) + ": " + c.message + "\n";
  }
  return text;
}

std::set<std::string> FailedChecks(const VerificationReport& report) {
  std::set<std::string> ids;
  for (const Check& c : report.checks) {
    if (c.outcome == Outcome::kFailed) ids.insert(c.id);
  }
  return ids;
}

Outcome OutcomeOf(const VerificationReport& report, std::string_view id) {
  const Check* check = report.Find(id);
  EXPECT_NE(check, nullptr) << id;
  return check ? check->outcome : Outcome::kSkipped;
}

std::string MessageOf(const VerificationReport& report, std::string_view id) {
  const Check* check = report.Find(id);
  return check ? check->message : std::string();
}

struct FixtureExpectation {
  Verdict verdict;
  std::set<std::string> failed;              // exactly these checks fail
  std::map<std::string, Outcome> also = {};  // and these have this outcome
  std::string why = {};
};

const std::map<std::string, FixtureExpectation>& FixtureTable() {
  const auto kUnsupported = Outcome::kUnsupported;
  static const std::map<std::string, FixtureExpectation> table = {
      // --- OB 3.0 validator fixtures ---
      {"ob-v3p0/validator-fixtures/simple.json", {Verdict::kVerified, {}}},
      {"ob-v3p0/validator-fixtures/complete.json",
       {Verdict::kVerified,
        {},
        {{"status", kUnsupported}},
        "1EdTechRevocationList is not implemented"}},
      {"ob-v3p0/validator-fixtures/endorsement-valid.json", {Verdict::kVerified, {}}},
      {"ob-v3p0/validator-fixtures/simple-context-alias.json", {Verdict::kVerified, {}}},
      {"ob-v3p0/validator-fixtures/simple-context-version.json", {Verdict::kVerified, {}}},
      {"ob-v3p0/validator-fixtures/simple-did-web-method.json", {Verdict::kVerified, {}}},
      {"ob-v3p0/validator-fixtures/simple-multiple-proofs.json", {Verdict::kVerified, {}}},
      {"ob-v3p0/validator-fixtures/simple-did-key-method.json",
       {Verdict::kFailed,
        {"issuer_key"},
        {{"proof", Outcome::kPassed}},
        "signed by a did:key, but the issuer is a urn:uuid that controls no key"}},
      {"ob-v3p0/validator-fixtures/bit-string-list/credential-status-revoked.json",
       {Verdict::kFailed, {"status"}, {{"proof", Outcome::kPassed}}}},
      {"ob-v3p0/validator-fixtures/bit-string-list/credential-status-revoked-blank-nodes.json",
       {Verdict::kFailed, {"status"}, {{"proof", Outcome::kPassed}}}},
      {"ob-v3p0/validator-fixtures/simple-err-expired.json",
       {Verdict::kFailed, {"validity"}, {{"proof", Outcome::kPassed}}}},
      // Also a pre-final draft without an achievement, as ob_structure_test notes.
      {"ob-v3p0/validator-fixtures/simple-err-issued.json",
       {Verdict::kFailed, {"structure", "validity"}, {{"proof", Outcome::kPassed}}}},
      {"ob-v3p0/validator-fixtures/simple-err-proof-value.json", {Verdict::kFailed, {"proof"}}},
      {"ob-v3p0/validator-fixtures/simple-err-proof-method.json",
       {Verdict::kFailed, {"proof", "issuer_key"}}},
      {"ob-v3p0/validator-fixtures/simple-err-proof-method-no-scheme.json",
       {Verdict::kFailed, {"structure", "proof", "issuer_key"}}},
      {"ob-v3p0/validator-fixtures/simple-err-proof-method-unknown-scheme.json",
       {Verdict::kFailed, {"structure", "proof", "issuer_key"}}},
      {"ob-v3p0/validator-fixtures/simple-err-proof-method-unknown-did-method.json",
       {Verdict::kFailed, {"proof", "issuer_key"}}},
      // Signed with example.com's key, though the issuer is example.edu.
      {"ob-v3p0/validator-fixtures/simple-err-context.json",
       {Verdict::kFailed, {"structure", "proof", "issuer_key"}}},
      {"ob-v3p0/validator-fixtures/simple-err-type.json",
       {Verdict::kFailed, {"structure", "proof"}}},
      {"ob-v3p0/validator-fixtures/simple-err-issuer.json",
       {Verdict::kFailed, {"structure", "issuer_key"}, {{"proof", Outcome::kPassed}}}},
      {"ob-v3p0/validator-fixtures/simple-err-issuer-type.json",
       {Verdict::kFailed, {"structure", "proof"}}},
      // The wrongly typed objects use terms their type does not define: JSON-LD safe mode stops
      // the proof too, rather than sign around them.
      {"ob-v3p0/validator-fixtures/simple-err-issuer-parentorg-type.json",
       {Verdict::kFailed, {"structure", "proof"}}},
      {"ob-v3p0/validator-fixtures/simple-err-issuer-otheridentifier-type.json",
       {Verdict::kFailed, {"structure", "proof"}}},
      {"ob-v3p0/validator-fixtures/simple-err-credential-subject-type.json",
       {Verdict::kFailed, {"structure", "proof"}}},
      {"ob-v3p0/validator-fixtures/simple-err-credential-subject-identifier-type.json",
       {Verdict::kFailed, {"structure", "proof"}}},
      {"ob-v3p0/validator-fixtures/simple-err-credential-subject-profile-type.json",
       {Verdict::kFailed, {"structure", "proof"}}},
      {"ob-v3p0/validator-fixtures/simple-err-credential-subject-result-type.json",
       {Verdict::kFailed, {"structure", "proof"}}},
      {"ob-v3p0/validator-fixtures/"
       "simple-err-credential-subject-achievement-result-description-type.json",
       {Verdict::kFailed, {"structure", "proof"}}},
      {"ob-v3p0/validator-fixtures/simple-err-evidence-type.json",
       {Verdict::kFailed, {"structure", "proof"}}},
      {"ob-v3p0/validator-fixtures/simple-noproof.json",
       {Verdict::kFailed, {"structure", "proof"}}},
      {"ob-v3p0/validator-fixtures/simple-eddsa-2022.json",
       {Verdict::kIncomplete,
        {},
        {{"proof", kUnsupported}},
        "pre-standard eddsa-2022 cryptosuite"}},
      {"ob-v3p0/validator-fixtures/simple_v1.json",
       {Verdict::kIncomplete, {}, {{"proof", kUnsupported}}, "Ed25519Signature2020"}},
      {"ob-v3p0/validator-fixtures/complete_v1.json",
       {Verdict::kFailed, {"validity"}, {{"proof", kUnsupported}, {"status", kUnsupported}}}},
      {"ob-v3p0/validator-fixtures/credential-status-revoked.json",
       {Verdict::kIncomplete,
        {},
        {{"proof", kUnsupported}, {"status", kUnsupported}},
        "revoked through a 1EdTechRevocationList, which Cairn does not implement"}},
      {"ob-v3p0/validator-fixtures/endorsement-err-schema-status-refresh.json",
       {Verdict::kIncomplete,
        {},
        {{"proof", kUnsupported}, {"status", kUnsupported}},
        "its error is in credentialSchema and refreshService URLs, which Cairn does not fetch"}},
      // Selective disclosure left out the required name.
      {"ob-v3p0/validator-fixtures/sd/derivedcredential.json",
       {Verdict::kFailed, {"structure"}, {{"proof", kUnsupported}}, "ecdsa-sd-2023"}},
      {"ob-v3p0/validator-fixtures/simple.jwt",
       {Verdict::kFailed,
        {"structure"},
        {{"proof", kUnsupported}},
        "no achievement, as simple-noproof"}},
      {"ob-v3p0/validator-fixtures/velocity.jwt",
       {Verdict::kIncomplete, {}, {{"proof", kUnsupported}}}},
      {"ob-v3p0/validator-fixtures/bit-string-list/testlist",
       {Verdict::kFailed,
        {"structure"},
        {{"proof", Outcome::kPassed}},
        "a status list credential, not a badge"}},
      // --- CLR 2.0 validator fixtures ---
      {"clr-v2p0/validator-fixtures/simple.json", {Verdict::kVerified, {}}},
      {"clr-v2p0/validator-fixtures/simple-noproof.json", {Verdict::kFailed, {"proof"}}},
      {"clr-v2p0/validator-fixtures/complex.json",
       {Verdict::kIncomplete, {}, {{"proof", kUnsupported}}}},
      {"clr-v2p0/validator-fixtures/simple_old_safesigned.json",
       {Verdict::kIncomplete, {}, {{"proof", kUnsupported}}}},
      {"clr-v2p0/validator-fixtures/simple_v1.json",
       {Verdict::kIncomplete, {}, {{"proof", kUnsupported}}}},
      {"clr-v2p0/validator-fixtures/simple.jwt",
       {Verdict::kIncomplete, {}, {{"proof", kUnsupported}}}},
      // --- 1EdTech's signed test vectors ---
      {"ob-v3p0/test-vectors/eddsa-rdfc-2022/signed-credential.json", {Verdict::kVerified, {}}},
      {"clr-v2p0/test-vectors/eddsa-rdfc-2022/signed-credential.json", {Verdict::kVerified, {}}},
  };
  return table;
}

// Every file of both fixture folders must have an expectation, so none is skipped silently.
TEST(VerifierFixtures, EveryFixtureHasAnExpectation) {
  std::set<std::string> files;
  for (const char* dir : {"ob-v3p0/validator-fixtures", "clr-v2p0/validator-fixtures"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(
             std::filesystem::path(CAIRN_STANDARDS_DIR) / dir)) {
      if (entry.is_regular_file()) {
        files.insert(std::filesystem::relative(entry.path(), CAIRN_STANDARDS_DIR).string());
      }
    }
  }
  ASSERT_GE(files.size(), 40u);
  for (const auto& file : files) EXPECT_TRUE(FixtureTable().contains(file)) << file;
}

TEST(VerifierFixtures, OneEdTechFixturesGiveTheExpectedReportOverHttp) {
  LocalHttpServer server;
  ServeFixtureIssuers(server);
  RewritingFetcher fetcher(server);
  const VerifyOptions options{.now = Now(), .fetcher = &fetcher};
  for (const auto& [path, expected] : FixtureTable()) {
    const VerificationReport report = Verify(ReadStandardsFile(path), options);
    SCOPED_TRACE(path + "\n" + Summary(report));
    EXPECT_EQ(OutcomeOf(report, "format"), Outcome::kPassed);
    EXPECT_EQ(report.verdict, expected.verdict);
    EXPECT_EQ(report.verified, expected.verdict == Verdict::kVerified);
    EXPECT_EQ(FailedChecks(report), expected.failed);
    for (const auto& [id, outcome] : expected.also) EXPECT_EQ(OutcomeOf(report, id), outcome) << id;
    EXPECT_EQ(report.checks.size(), 7u);
  }
}

TEST(VerifierFixtures, MessagesSayWhatWentWrong) {
  LocalHttpServer server;
  ServeFixtureIssuers(server);
  RewritingFetcher fetcher(server);
  const VerifyOptions options{.now = Now(), .fetcher = &fetcher};
  const auto verify = [&](const std::string& path) {
    return Verify(ReadStandardsFile(path), options);
  };
  EXPECT_EQ(
      MessageOf(verify("ob-v3p0/validator-fixtures/bit-string-list/credential-status-revoked.json"),
                "status"),
      "revoked");
  EXPECT_EQ(MessageOf(verify("ob-v3p0/validator-fixtures/simple-err-expired.json"), "validity"),
            "expired on 2010-01-01T00:00:00Z (validUntil)");
  EXPECT_EQ(MessageOf(verify("ob-v3p0/validator-fixtures/simple-err-issued.json"), "validity"),
            "not valid before 2040-01-01T00:00:00Z (validFrom)");
  EXPECT_NE(
      MessageOf(verify("ob-v3p0/validator-fixtures/simple-err-proof-method.json"), "issuer_key")
          .find("does not list https://example.edu/issuers/565049#z6MkjZRsdas"),
      std::string::npos);
  EXPECT_NE(
      MessageOf(
          verify("ob-v3p0/validator-fixtures/simple-err-proof-method-unknown-did-method.json"),
          "issuer_key")
          .find("DID method \"example\" is not supported"),
      std::string::npos);
  EXPECT_NE(MessageOf(verify("ob-v3p0/validator-fixtures/simple-did-key-method.json"), "issuer_key")
                .find("not by the issuer urn:uuid:6f2e33e5"),
            std::string::npos);
  const auto passed = verify("ob-v3p0/validator-fixtures/simple.json");
  EXPECT_EQ(
      MessageOf(passed, "issuer_key"),
      "the signing key is an assertionMethod of the issuer https://example.com/issuers/876543");
  EXPECT_EQ(passed.ToJson()["verdict"], "verified");
}

TEST(VerifierFixtures, WithoutTheControllerDocumentTheKeyCannotBeResolved) {
  LocalHttpServer server;  // serves nothing: every controller document is a 404
  RewritingFetcher fetcher(server);
  const auto report = Verify(ReadStandardsFile("ob-v3p0/validator-fixtures/simple.json"),
                             {.now = Now(), .fetcher = &fetcher});
  EXPECT_EQ(FailedChecks(report), (std::set<std::string>{"proof", "issuer_key"}));
  EXPECT_NE(MessageOf(report, "issuer_key").find("returned HTTP 404"), std::string::npos);
  const auto offline =
      Verify(ReadStandardsFile("ob-v3p0/validator-fixtures/simple.json"), {.now = Now()});
  EXPECT_NE(MessageOf(offline, "issuer_key").find("no fetcher"), std::string::npos);
  // did:key needs no network.
  const auto did_key = Verify(
      ReadStandardsFile("ob-v3p0/validator-fixtures/simple-did-key-method.json"), {.now = Now()});
  EXPECT_EQ(OutcomeOf(did_key, "proof"), Outcome::kPassed);
}

TEST(VerifierFixtures, AControllerDocumentForAnotherIdIsNotTrusted) {
  LocalHttpServer server;
  // The document served for example.com claims to be example.edu's.
  Serve(server, "https://example.com/issuers/876543",
        ControllerDocument("https://example.edu/issuers/565049", {kTestKeyMultibase}).dump());
  RewritingFetcher fetcher(server);
  const auto report = Verify(ReadStandardsFile("ob-v3p0/validator-fixtures/simple.json"),
                             {.now = Now(), .fetcher = &fetcher});
  EXPECT_FALSE(report.verified);
  EXPECT_NE(MessageOf(report, "issuer_key").find("expected \"https://example.com/issuers/876543\""),
            std::string::npos)
      << MessageOf(report, "issuer_key");
}

TEST(VerifierFixtures, AKeyListedOnlyForAuthenticationIsRefused) {
  LocalHttpServer server;
  json doc = ControllerDocument("https://example.com/issuers/876543", {kTestKeyMultibase});
  doc["authentication"] = doc["assertionMethod"];
  doc.erase("assertionMethod");
  Serve(server, "https://example.com/issuers/876543", doc.dump());
  RewritingFetcher fetcher(server);
  const auto report = Verify(ReadStandardsFile("ob-v3p0/validator-fixtures/simple.json"),
                             {.now = Now(), .fetcher = &fetcher});
  EXPECT_EQ(FailedChecks(report), (std::set<std::string>{"proof", "issuer_key"}));
  EXPECT_NE(MessageOf(report, "issuer_key").find("under assertionMethod"), std::string::npos);
}

TEST(VerifierFixtures, ACacheInFrontOfTheFetcherSavesRepeatRequests) {
  LocalHttpServer server;
  ServeFixtureIssuers(server);
  RewritingFetcher http(server);
  CachingFetcher cache(http, std::chrono::seconds(300), std::chrono::seconds(30));
  const VerifyOptions options{.now = Now(), .fetcher = &cache};
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(
        Verify(ReadStandardsFile("ob-v3p0/validator-fixtures/simple.json"), options).verified);
    EXPECT_TRUE(
        Verify(ReadStandardsFile("ob-v3p0/validator-fixtures/simple-context-alias.json"), options)
            .verified);
  }
  const std::string log = server.RequestLog();
  EXPECT_EQ(log, "/example.com/issuers/876543\n");
}

TEST(VerifierFixtures, TheReportSerializesEveryCheck) {
  const auto report = Verify(
      ReadStandardsFile("ob-v3p0/validator-fixtures/simple-did-key-method.json"), {.now = Now()});
  const json out = report.ToJson();
  EXPECT_EQ(out["verified"], false);
  EXPECT_EQ(out["verdict"], "failed");
  ASSERT_EQ(out["checks"].size(), 7u);
  const char* ids[] = {"format",   "structure", "proof",    "issuer_key",
                       "validity", "status",    "recipient"};
  for (std::size_t i = 0; i < 7; ++i) {
    EXPECT_EQ(out["checks"][i]["id"], ids[i]);
    EXPECT_TRUE(out["checks"][i]["message"].is_string());
  }
  EXPECT_EQ(out["checks"][2]["outcome"], "passed");
  EXPECT_EQ(out["checks"][3]["outcome"], "failed");
  EXPECT_EQ(out["checks"][6]["outcome"], "skipped");
}

// ---------------------------------------------------------------------------------------------
// Credentials signed here.

ed25519::KeyPair TestKey(std::uint8_t fill) {
  ed25519::Seed seed;
  seed.fill(fill);
  return ed25519::KeyPairFromSeed(seed);
}

json UnsignedCredential(const std::string& issuer) {
  json credential =
      ReadStandardsJson("ob-v3p0/test-vectors/eddsa-rdfc-2022/unsigned-credential.json");
  credential["id"] = "urn:uuid:0d1f7e6c-6a3c-4bfa-9a55-cdd3c8d0a1b2";
  credential["issuer"]["id"] = issuer;
  return credential;
}

json SignWith(const json& credential, const ed25519::KeyPair& key, const std::string& method,
              Cryptosuite suite = Cryptosuite::kEddsaRdfc2022) {
  ProofOptions options;
  options.suite = suite;
  options.verification_method = method;
  options.created = "2024-05-01T12:00:00Z";
  return AddProof(credential, options, key.secret_key);
}

json SignedByDidKey(const ed25519::KeyPair& key, json credential,
                    Cryptosuite suite = Cryptosuite::kEddsaRdfc2022) {
  return SignWith(credential, key, multikey::DidKeyVerificationMethod(key.public_key), suite);
}

TEST(VerifierSigned, ACredentialSignedWithADidKeyVerifiesOffline) {
  const auto key = TestKey(7);
  for (auto suite : {Cryptosuite::kEddsaRdfc2022, Cryptosuite::kEddsaJcs2022}) {
    const json signed_credential =
        SignedByDidKey(key, UnsignedCredential(multikey::DidKey(key.public_key)), suite);
    const auto report = Verify(signed_credential.dump(), {.now = Now()});
    SCOPED_TRACE(Summary(report));
    EXPECT_TRUE(report.verified);
    EXPECT_EQ(OutcomeOf(report, "proof"), Outcome::kPassed);
    EXPECT_EQ(OutcomeOf(report, "issuer_key"), Outcome::kPassed);
    EXPECT_EQ(OutcomeOf(report, "status"), Outcome::kSkipped);
    EXPECT_EQ(OutcomeOf(report, "recipient"), Outcome::kSkipped);
    ASSERT_TRUE(report.credential.has_value());
    EXPECT_EQ(*report.credential, signed_credential);
  }
}

TEST(VerifierSigned, EveryTamperedCopyFailsTheProof) {
  const auto key = TestKey(7);
  for (auto suite : {Cryptosuite::kEddsaJcs2022, Cryptosuite::kEddsaRdfc2022}) {
    const json signed_credential =
        SignedByDidKey(key, UnsignedCredential(multikey::DidKey(key.public_key)), suite);
    const auto copies =
        testing::TamperedCopies(signed_credential, suite == Cryptosuite::kEddsaJcs2022);
    ASSERT_GT(copies.size(), 50u);
    int failed = 0;
    for (const auto& copy : copies) {
      const auto report = VerifyCredential(copy.document, {.now = Now()});
      SCOPED_TRACE(copy.description + "\n" + Summary(report));
      EXPECT_FALSE(report.verified);
      const Outcome proof = OutcomeOf(report, "proof");
      // Renaming the proof type makes it a proof Cairn does not know: never "verified" though.
      const bool renamed_suite = copy.description.find("/proof/type") != std::string::npos ||
                                 copy.description.find("/proof/cryptosuite") != std::string::npos;
      if (proof == Outcome::kFailed)
        ++failed;
      else
        EXPECT_TRUE(renamed_suite && proof == Outcome::kUnsupported) << OutcomeName(proof);
    }
    EXPECT_GT(failed, static_cast<int>(copies.size()) - 10);
  }
}

TEST(VerifierSigned, AWrongKeyOrForeignIssuerFails) {
  const auto key = TestKey(7);
  const auto other = TestKey(8);
  // Signed by `other`, but naming `key` as the method: the signature does not match.
  json credential = UnsignedCredential(multikey::DidKey(key.public_key));
  const json forged =
      SignWith(credential, other, multikey::DidKeyVerificationMethod(key.public_key));
  auto report = VerifyCredential(forged, {.now = Now()});
  EXPECT_EQ(FailedChecks(report), std::set<std::string>{"proof"});
  EXPECT_NE(MessageOf(report, "proof").find("signature does not match"), std::string::npos);
  // A valid signature by someone else's key does not make them the issuer.
  report = VerifyCredential(SignedByDidKey(other, credential), {.now = Now()});
  EXPECT_EQ(OutcomeOf(report, "proof"), Outcome::kPassed);
  EXPECT_EQ(FailedChecks(report), std::set<std::string>{"issuer_key"});
}

TEST(VerifierSigned, BakedPngAndSvgVerify) {
  const auto key = TestKey(7);
  const json signed_credential =
      SignedByDidKey(key, UnsignedCredential(multikey::DidKey(key.public_key)));
  const std::string svg =
      BakeSvg(RenderBadgeSvg("Teamwork", "Example Corp"), signed_credential.dump());
  const std::string png =
      BakePng(RenderPng(RenderBadgeSvg("Teamwork", "Example Corp"), 64), signed_credential.dump());
  for (const auto& [bytes, format] : {std::pair{svg, "SVG"}, std::pair{png, "PNG"}}) {
    const auto report = Verify(bytes, {.now = Now()});
    EXPECT_TRUE(report.verified) << Summary(report);
    EXPECT_NE(MessageOf(report, "format").find(format), std::string::npos);
  }
  json tampered = signed_credential;
  tampered["name"] = "Leadership Badge";
  const auto report =
      Verify(BakePng(RenderPng(RenderBadgeSvg("x", "y"), 32), tampered.dump()), {.now = Now()});
  EXPECT_EQ(FailedChecks(report), std::set<std::string>{"proof"});
}

TEST(VerifierSigned, DidWebIssuerResolvesThroughItsDidDocument) {
  EXPECT_EQ(DidWebDocumentUrl("did:web:example.org"), "https://example.org/.well-known/did.json");
  EXPECT_EQ(DidWebDocumentUrl("did:web:example.org:issuers:1"),
            "https://example.org/issuers/1/did.json");
  EXPECT_EQ(DidWebDocumentUrl("did:web:example.org%3A8443:a:b"),
            "https://example.org:8443/a/b/did.json");
  for (const char* bad : {"did:web:", "did:web:exa mple.org", "did:web:example.org:..",
                          "did:web:ex/ample.org", "did:web:example.org%3Axyz", "did:key:z6Mk",
                          "did:web:example.org::x", "did:web:-evil.org", "did:web:a.org:b?c"}) {
    EXPECT_FALSE(DidWebDocumentUrl(bad).has_value()) << bad;
  }

  LocalHttpServer server;
  RewritingFetcher fetcher(server);
  const auto key = TestKey(9);
  const std::string did = "did:web:issuer.example:orgs:7";
  const std::string key_text = multikey::EncodePublicKey(key.public_key);
  json doc = ControllerDocument(did, {key_text});
  Serve(server, "https://issuer.example/orgs/7/did.json", doc.dump());
  const json credential = SignWith(UnsignedCredential(did), key, did + "#" + key_text);
  auto report = Verify(credential.dump(), {.now = Now(), .fetcher = &fetcher});
  EXPECT_TRUE(report.verified) << Summary(report);
  EXPECT_NE(server.RequestLog().find("/issuer.example/orgs/7/did.json"), std::string::npos);

  // The same key published under another DID is not this issuer's.
  Serve(server, "https://issuer.example/orgs/7/did.json",
        ControllerDocument("did:web:issuer.example:orgs:8", {key_text}).dump());
  report = Verify(credential.dump(), {.now = Now(), .fetcher = &fetcher});
  EXPECT_EQ(FailedChecks(report), (std::set<std::string>{"proof", "issuer_key"}));
}

// ---------------------------------------------------------------------------------------------
// Status lists, served over HTTP at their own URL on 127.0.0.1.

class VerifierStatusList : public ::testing::Test {
 protected:
  VerifierStatusList() : key_(TestKey(7)), did_(multikey::DidKey(key_.public_key)) {}

  json StatusList(const std::string& url, const std::string& purpose,
                  const BitstringStatusList& bits) const {
    return {{"@context", {"https://www.w3.org/ns/credentials/v2"}},
            {"id", url},
            {"type", {"VerifiableCredential", "BitstringStatusListCredential"}},
            {"issuer", did_},
            {"validFrom", "2024-01-01T00:00:00Z"},
            {"credentialSubject",
             {{"id", url + "#list"},
              {"type", "BitstringStatusList"},
              {"statusPurpose", purpose},
              {"encodedList", bits.Encode()}}}};
  }

  void PublishList(const std::string& path, const json& list, const ed25519::KeyPair& signer) {
    server_.Put(path.substr(1), SignedByDidKey(signer, list).dump());
  }

  json CredentialWithStatus(const std::string& url, const std::string& purpose,
                            const json& index) const {
    json credential = UnsignedCredential(did_);
    credential["credentialStatus"] = {{"id", url + "#" + index.dump()},
                                      {"type", "BitstringStatusListEntry"},
                                      {"statusPurpose", purpose},
                                      {"statusListIndex", index},
                                      {"statusListCredential", url}};
    return SignedByDidKey(key_, credential);
  }

  VerificationReport Check(const json& credential) {
    return VerifyCredential(credential, {.now = Now(), .fetcher = &fetcher_});
  }

  LocalHttpServer server_;
  CurlFetcher fetcher_{{.allow_private = true}};
  ed25519::KeyPair key_;
  std::string did_;
};

TEST_F(VerifierStatusList, AClearBitPassesAndASetBitIsRevoked) {
  const std::string url = server_.Url("/status/1");
  BitstringStatusList bits;
  bits.Set(8, true);
  PublishList("/status/1", StatusList(url, "revocation", bits), key_);
  auto report = Check(CredentialWithStatus(url, "revocation", "7"));
  EXPECT_TRUE(report.verified) << Summary(report);
  EXPECT_EQ(OutcomeOf(report, "status"), Outcome::kPassed);

  report = Check(CredentialWithStatus(url, "revocation", "8"));
  EXPECT_FALSE(report.verified);
  EXPECT_EQ(FailedChecks(report), std::set<std::string>{"status"});
  EXPECT_EQ(MessageOf(report, "status"), "revoked");
}

TEST_F(VerifierStatusList, ASuspendedCredentialFails) {
  const std::string url = server_.Url("/status/s");
  BitstringStatusList bits;
  bits.Set(3, true);
  PublishList("/status/s", StatusList(url, "suspension", bits), key_);
  const auto report = Check(CredentialWithStatus(url, "suspension", "3"));
  EXPECT_EQ(MessageOf(report, "status"), "suspended");
  // The list is for suspension; an entry that says revocation does not match it.
  const auto mismatch = Check(CredentialWithStatus(url, "revocation", "3"));
  EXPECT_NE(MessageOf(mismatch, "status").find("statusPurpose does not match"), std::string::npos);
}

TEST_F(VerifierStatusList, AListFromAnotherIssuerOrKeyIsNotTrusted) {
  const std::string url = server_.Url("/status/x");
  const auto other = TestKey(8);
  json list = StatusList(url, "revocation", BitstringStatusList());
  // Issued and signed by someone else entirely.
  json foreign = list;
  foreign["issuer"] = multikey::DidKey(other.public_key);
  PublishList("/status/x", foreign, other);
  auto report = Check(CredentialWithStatus(url, "revocation", "1"));
  EXPECT_EQ(FailedChecks(report), std::set<std::string>{"status"});
  EXPECT_NE(MessageOf(report, "status").find("not by the credential's issuer"), std::string::npos);
  // Names our issuer, but is signed with a key the issuer does not control.
  PublishList("/status/x", list, other);
  report = Check(CredentialWithStatus(url, "revocation", "1"));
  EXPECT_NE(MessageOf(report, "status").find("which its issuer does not control"),
            std::string::npos)
      << MessageOf(report, "status");
  // Signed properly, then altered: a revoked bit cannot be cleared by editing the list.
  json signed_list = SignedByDidKey(key_, list);
  BitstringStatusList cleared;
  signed_list["credentialSubject"]["encodedList"] = cleared.Encode() + "A";
  server_.Put("status/x", signed_list.dump());
  report = Check(CredentialWithStatus(url, "revocation", "1"));
  EXPECT_NE(MessageOf(report, "status").find("proof does not verify"), std::string::npos);
}

TEST_F(VerifierStatusList, UnreachableOrBrokenListsFailClosed) {
  const std::string url = server_.Url("/status/none");
  auto report = Check(CredentialWithStatus(url, "revocation", "1"));
  EXPECT_NE(MessageOf(report, "status").find("returned HTTP 404"), std::string::npos);

  server_.Put("status/html", "<html>not json</html>");
  report = Check(CredentialWithStatus(server_.Url("/status/html"), "revocation", "1"));
  EXPECT_NE(MessageOf(report, "status").find("not valid JSON"), std::string::npos);

  const std::string small = server_.Url("/status/small");
  PublishList("/status/small", StatusList(small, "revocation", BitstringStatusList()), key_);
  report = Check(CredentialWithStatus(small, "revocation", "131072"));
  EXPECT_NE(MessageOf(report, "status").find("outside the status list"), std::string::npos);
  report = Check(CredentialWithStatus(small, "revocation", "-1"));
  EXPECT_EQ(MessageOf(report, "status"), "statusListIndex must be a non-negative integer");

  report = VerifyCredential(CredentialWithStatus(small, "revocation", "1"), {.now = Now()});
  EXPECT_NE(MessageOf(report, "status").find("no fetcher"), std::string::npos);
}

TEST_F(VerifierStatusList, OneEdTechRevocationListIsUnsupported) {
  json credential = UnsignedCredential(did_);
  credential["credentialStatus"] = {{"id", "https://example.org/revocations"},
                                    {"type", "1EdTechRevocationList"}};
  credential["@context"].push_back("https://purl.imsglobal.org/spec/ob/v3p0/extensions.json");
  const auto report = Check(SignedByDidKey(key_, credential));
  EXPECT_EQ(OutcomeOf(report, "status"), Outcome::kUnsupported) << Summary(report);
  EXPECT_TRUE(report.verified);
}

// ---------------------------------------------------------------------------------------------
// Recipient.

json EmailIdentity(const std::string& hash, bool hashed, const std::string& salt = "") {
  json identity = {{"type", "IdentityObject"},
                   {"identityHash", hash},
                   {"identityType", "emailAddress"},
                   {"hashed", hashed}};
  if (!salt.empty()) identity["salt"] = salt;
  return identity;
}

TEST(VerifierRecipient, EmailMatchesEveryIdentityHashForm) {
  const std::string email = "ada@example.org";
  const std::string salted = "sha256$" + DigestHex(HashAlgorithm::kSha256, email + "pepper");
  EXPECT_TRUE(EmailMatchesIdentity(email, EmailIdentity(salted, true, "pepper")));
  EXPECT_TRUE(EmailMatchesIdentity("Ada@Example.org ", EmailIdentity(salted, true, "pepper")));
  EXPECT_FALSE(EmailMatchesIdentity(email, EmailIdentity(salted, true, "salt")));
  EXPECT_FALSE(EmailMatchesIdentity("eve@example.org", EmailIdentity(salted, true, "pepper")));
  std::string upper = salted;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(EmailMatchesIdentity(email, EmailIdentity(upper, true, "pepper")));
  const std::string unsalted = "sha256$" + DigestHex(HashAlgorithm::kSha256, email);
  EXPECT_TRUE(EmailMatchesIdentity(email, EmailIdentity(unsalted, true)));
  // md5("ada@example.org"), as OB 2.0-era issuers hashed it.
  EXPECT_TRUE(
      EmailMatchesIdentity(email, EmailIdentity("md5$5bfcf2d8e394674550332640d72db509", true)));
  EXPECT_TRUE(EmailMatchesIdentity(email, EmailIdentity("ADA@example.org", false)));
  EXPECT_FALSE(EmailMatchesIdentity(email, EmailIdentity("eve@example.org", false)));
  EXPECT_FALSE(EmailMatchesIdentity(email, EmailIdentity("sha1$abc", true)));
  EXPECT_FALSE(EmailMatchesIdentity(email, EmailIdentity("sha256$", true)));
  EXPECT_FALSE(EmailMatchesIdentity(email, json{{"identityHash", 5}}));
  EXPECT_FALSE(EmailMatchesIdentity(email, json("x")));
}

TEST(VerifierRecipient, VerifyComparesTheGivenEmailWithTheSubject) {
  const auto key = TestKey(7);
  json credential = UnsignedCredential(multikey::DidKey(key.public_key));
  credential["credentialSubject"]["identifier"] = json::array({EmailIdentity(
      "sha256$" + DigestHex(HashAlgorithm::kSha256, "ada@example.org" + std::string("pepper")),
      true, "pepper")});
  const json signed_credential = SignedByDidKey(key, credential);
  auto report =
      VerifyCredential(signed_credential, {.now = Now(), .recipient_email = "ada@example.org"});
  EXPECT_TRUE(report.verified) << Summary(report);
  EXPECT_EQ(OutcomeOf(report, "recipient"), Outcome::kPassed);
  report =
      VerifyCredential(signed_credential, {.now = Now(), .recipient_email = "eve@example.org"});
  EXPECT_EQ(FailedChecks(report), std::set<std::string>{"recipient"});
  EXPECT_FALSE(report.verified);
  report =
      VerifyCredential(SignedByDidKey(key, UnsignedCredential(multikey::DidKey(key.public_key))),
                       {.now = Now(), .recipient_email = "ada@example.org"});
  EXPECT_EQ(MessageOf(report, "recipient"), "the credential names no email recipient");
}

// ---------------------------------------------------------------------------------------------
// Hostile input: always a report, never an exception, a crash or a hang.

void ExpectRejected(const std::string& bytes, const std::string& label,
                    DocumentFetcher* fetcher = nullptr) {
  VerificationReport report;
  EXPECT_NO_THROW(report = Verify(bytes, {.now = Now(), .fetcher = fetcher})) << label;
  EXPECT_FALSE(report.verified) << label;
  EXPECT_EQ(report.verdict, Verdict::kFailed) << label << "\n" << Summary(report);
  EXPECT_EQ(report.checks.size(), 7u) << label;
  // Messages quote the input; the report must still serialize (found by verify_fuzz).
  EXPECT_NO_THROW(report.ToJson().dump()) << label;
}

TEST(VerifierHostileInput, MalformedBytesFailTheFormatCheck) {
  const std::string deep_array =
      "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  std::string deep_object;
  for (int i = 0; i < 70; ++i) deep_object += "{\"a\":";
  deep_object += "1" + std::string(70, '}');
  const std::string png_header = std::string("\x89PNG\r\n\x1a\n", 8);
  const std::string lying_png = png_header + std::string("\xff\xff\xff\xf0IHDR", 8) + "short";
  for (const auto& [bytes, label] : std::vector<std::pair<std::string, std::string>>{
           {"", "empty"},
           {"{", "truncated JSON"},
           {"[1,2]", "an array"},
           {"null", "null"},
           {"\"text\"", "a string"},
           {deep_array, "100000 nested arrays"},
           {deep_object, "70 nested objects"},
           {lying_png, "a PNG whose chunk length lies"},
           {png_header, "a PNG signature alone"},
           {"<svg xmlns='http://www.w3.org/2000/svg'/>", "an unbaked SVG"},
           {"{\"a\":\"\xff\xfe\"}", "invalid UTF-8"},
           {"a.b.c", "a JWS with junk segments"},
           {"{\"issuer\": \xEF\xBB\xBF}", "a BOM where a value belongs"},
           {"{\"issuer\": \xC3\xA9}", "a bare multi-byte character as a value"},
           {"{\"issuer\": " + std::string(5000, 'x') + "}", "a huge bare word"}}) {
    ExpectRejected(bytes, label);
    EXPECT_EQ(OutcomeOf(Verify(bytes, {.now = Now()}), "format"), Outcome::kFailed) << label;
  }
}

TEST(VerifierHostileInput, WrongTypesAndBrokenProofsFailWithoutThrowing) {
  const auto key = TestKey(7);
  const json good = SignedByDidKey(key, UnsignedCredential(multikey::DidKey(key.public_key)));
  const std::string proof_value = good["proof"]["proofValue"];
  std::vector<std::pair<std::string, std::function<void(json&)>>> edits = {
      {"issuer is a number", [](json& c) { c["issuer"] = 5; }},
      {"proof is a string", [](json& c) { c["proof"] = "x"; }},
      {"proof is an array of numbers",
       [](json& c) {
         c["proof"] = {1, 2};
       }},
      {"proof is an empty array", [](json& c) { c["proof"] = json::array(); }},
      {"credentialStatus is a number", [](json& c) { c["credentialStatus"] = 7; }},
      {"validFrom is a number", [](json& c) { c["validFrom"] = 3; }},
      {"validUntil is not a date", [](json& c) { c["validUntil"] = "tomorrow"; }},
      {"credentialSubject is a string", [](json& c) { c["credentialSubject"] = "x"; }},
      {"type is a number", [](json& c) { c["type"] = 5; }},
      {"@context is a number", [](json& c) { c["@context"] = 5; }},
      {"unknown context", [](json& c) { c["@context"].push_back("https://evil.example/context"); }},
      {"bad base58", [](json& c) { c["proof"]["proofValue"] = "z0OIl0OIl"; }},
      {"truncated signature",
       [&](json& c) { c["proof"]["proofValue"] = proof_value.substr(0, proof_value.size() / 2); }},
      {"no multibase prefix", [&](json& c) { c["proof"]["proofValue"] = proof_value.substr(1); }},
      {"verificationMethod is a number", [](json& c) { c["proof"]["verificationMethod"] = 5; }},
      {"bad did:key", [](json& c) { c["proof"]["verificationMethod"] = "did:key:z0OIl#z0OIl"; }},
      {"cryptosuite is a number", [](json& c) { c["proof"]["cryptosuite"] = 7; }},
      {"status entry with every field wrong",
       [](json& c) {
         c["credentialStatus"] = {{"type", "BitstringStatusListEntry"},
                                  {"statusPurpose", 1},
                                  {"statusListIndex", {1}},
                                  {"statusListCredential", false}};
       }},
      {"huge statusListIndex",
       [](json& c) {
         c["credentialStatus"] = {{"type", "BitstringStatusListEntry"},
                                  {"statusPurpose", "revocation"},
                                  {"statusListIndex", "99999999999999999999999"},
                                  {"statusListCredential", "https://example.org/list"}};
       }},
      {"a thousand status entries",
       [](json& c) {
         c["credentialStatus"] = json::array();
         c["credentialStatus"].get_ref<json::array_t&>().resize(1000);
       }},
      {"identifier is a number", [](json& c) { c["credentialSubject"]["identifier"] = 5; }},
  };
  for (const auto& [label, edit] : edits) {
    json copy = good;
    edit(copy);
    ExpectRejected(copy.dump(), label);
    VerificationReport report;
    EXPECT_NO_THROW(report = VerifyCredential(copy, {.now = Now(), .recipient_email = "a@b.c"}))
        << label;
  }
}

TEST(VerifierHostileInput, HugeArraysFinishQuickly) {
  const auto key = TestKey(7);
  json credential = SignedByDidKey(key, UnsignedCredential(multikey::DidKey(key.public_key)));
  json big = json::array();
  for (int i = 0; i < 200000; ++i) big.push_back(i);
  credential["credentialSubject"]["achievement"]["tag"] = big;
  const auto start = std::chrono::steady_clock::now();
  ExpectRejected(credential.dump(), "200000-element array");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
}

TEST(VerifierHostileInput, UnknownContextsAreNeverFetched) {
  LocalHttpServer server;
  RewritingFetcher fetcher(server);
  json credential = ReadStandardsJson("ob-v3p0/validator-fixtures/simple.json");
  credential["@context"].push_back("https://attacker.example/context.jsonld");
  ExpectRejected(credential.dump(), "unknown context", &fetcher);
  EXPECT_EQ(server.RequestLog().find("attacker.example"), std::string::npos);
}

// A verification method is attacker-chosen: pointing it at an internal address must not make
// the verifier a proxy into the network it runs in.
TEST(VerifierHostileInput, VerificationMethodsOnInternalAddressesAreNotFetched) {
  LocalHttpServer server;
  server.Put("issuers/1", ControllerDocument(server.Url("/issuers/1"), {kTestKeyMultibase}).dump());
  CurlFetcher guarded;  // the production default: no private addresses
  const auto key = TestKey(7);
  const std::string issuer = server.Url("/issuers/1");
  const json credential = SignWith(UnsignedCredential(issuer), key,
                                   issuer + "#" + multikey::EncodePublicKey(key.public_key));
  const auto report = Verify(credential.dump(), {.now = Now(), .fetcher = &guarded});
  EXPECT_EQ(FailedChecks(report), (std::set<std::string>{"proof", "issuer_key"}));
  EXPECT_NE(
      MessageOf(report, "issuer_key").find("refused to connect to non-public address 127.0.0.1"),
      std::string::npos)
      << MessageOf(report, "issuer_key");
  EXPECT_EQ(server.RequestLog(), "");
}

TEST(VerifierHostileInput, RandomBytesNeverThrow) {
  std::mt19937 random(42);
  const std::string prefixes[] = {"", "{", "\x89PNG\r\n\x1a\n", "<svg", "eyJ"};
  for (int i = 0; i < 2000; ++i) {
    std::string bytes = prefixes[i % 5];
    const int length = static_cast<int>(random() % 300);
    for (int j = 0; j < length; ++j) bytes.push_back(static_cast<char>(random() % 256));
    VerificationReport report;
    EXPECT_NO_THROW(report = Verify(bytes, {.now = Now()}));
    EXPECT_FALSE(report.verified);
  }
}

}  // namespace
}  // namespace cairn::credentials::verification
