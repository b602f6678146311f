// The OB 3.0 structure check against 1EdTech's own validator fixtures and the spec's examples.
// Each negative fixture must yield a finding at the pointer that names its problem; positive ones
// none. Fixtures whose problem is not structural (a bad signature, an unresolvable key, a revoked
// status) are listed with the reason and expected to pass this check.
#include "credentials/ob_structure.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "vector_files.hpp"

namespace cairn::credentials {
namespace {

using nlohmann::json;
using testing::ReadStandardsFile;
using testing::ReadStandardsJson;

// Validator fixtures are dated 2010..2050; this fixed "now" makes err-expired expired and
// err-issued not yet issued, while the positive fixtures (issued up to 2025-10, valid until 2030)
// are in range.
std::chrono::sys_seconds FixtureNow() {
  return *ParseCredentialDateTime("2026-01-01T00:00:00Z");
}

std::string Describe(const std::vector<StructureFinding>& findings) {
  std::string text;
  for (const auto& f : findings) text += "  " + f.pointer + ": " + f.message + "\n";
  return text.empty() ? "  (no findings)\n" : text;
}

bool HasFindingAt(const std::vector<StructureFinding>& findings, const std::string& pointer) {
  for (const auto& f : findings) {
    if (f.pointer == pointer) return true;
  }
  return false;
}

std::string Base64UrlDecode(std::string_view in) {
  std::string out;
  int bits = 0;
  unsigned value = 0;
  for (char c : in) {
    int v = -1;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    if (c >= '0' && c <= '9') v = c - '0' + 52;
    if (c == '-') v = 62;
    if (c == '_') v = 63;
    if (v < 0) continue;
    value = (value << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((value >> bits) & 0xFF));
    }
  }
  return out;
}

// A VC-JWT fixture's credential: the `vc` claim of the payload (VC 1.1 JWT encoding).
json JwtCredential(const std::string& relative_path) {
  std::string token = ReadStandardsFile(relative_path);
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  const auto first = token.find('.');
  const auto second = token.find('.', first + 1);
  const json payload = json::parse(Base64UrlDecode(token.substr(first + 1, second - first - 1)));
  return payload.contains("vc") ? payload["vc"] : payload;
}

json LoadFixture(const std::string& relative_path) {
  if (relative_path.ends_with(".jwt")) return JwtCredential(relative_path);
  return ReadStandardsJson(relative_path);
}

struct FixtureExpectation {
  std::string expected_pointer;  // "" means: no findings
  std::string why;               // for fixtures where our judgment differs from the file name
};

const std::map<std::string, FixtureExpectation>& Expectations() {
  static const std::map<std::string, FixtureExpectation> table = {
      // --- OB 3.0, negative: one structural problem each ---
      {"ob-v3p0/validator-fixtures/simple-err-context.json", {"/@context/0", ""}},
      {"ob-v3p0/validator-fixtures/simple-err-type.json", {"/type", ""}},
      {"ob-v3p0/validator-fixtures/simple-err-issuer.json", {"/issuer", ""}},
      {"ob-v3p0/validator-fixtures/simple-err-issuer-type.json", {"/issuer/type", ""}},
      {"ob-v3p0/validator-fixtures/simple-err-issuer-parentorg-type.json",
       {"/issuer/parentOrg/type", ""}},
      {"ob-v3p0/validator-fixtures/simple-err-issuer-otheridentifier-type.json",
       {"/issuer/otherIdentifier/1/type", ""}},
      {"ob-v3p0/validator-fixtures/simple-err-credential-subject-type.json",
       {"/credentialSubject/type", ""}},
      {"ob-v3p0/validator-fixtures/simple-err-credential-subject-identifier-type.json",
       {"/credentialSubject/identifier/0/type", ""}},
      {"ob-v3p0/validator-fixtures/simple-err-credential-subject-profile-type.json",
       {"/credentialSubject/source/type", ""}},
      {"ob-v3p0/validator-fixtures/simple-err-credential-subject-result-type.json",
       {"/credentialSubject/result/1/type", ""}},
      {"ob-v3p0/validator-fixtures/"
       "simple-err-credential-subject-achievement-result-description-type.json",
       {"/credentialSubject/achievement/resultDescription/2/type", ""}},
      {"ob-v3p0/validator-fixtures/simple-err-evidence-type.json", {"/evidence/1/type", ""}},
      {"ob-v3p0/validator-fixtures/simple-err-expired.json", {"/validUntil", ""}},
      {"ob-v3p0/validator-fixtures/simple-err-issued.json", {"/validFrom", ""}},
      {"ob-v3p0/validator-fixtures/simple-err-proof-method-no-scheme.json",
       {"/proof/0/verificationMethod", ""}},
      {"ob-v3p0/validator-fixtures/simple-err-proof-method-unknown-scheme.json",
       {"/proof/0/verificationMethod", ""}},
      // --- OB 3.0, negative in the validator but structurally sound ---
      {"ob-v3p0/validator-fixtures/simple-err-proof-method.json",
       {"", "the key URL's fragment names no key: a resolution failure, not a shape problem"}},
      {"ob-v3p0/validator-fixtures/simple-err-proof-method-unknown-did-method.json",
       {"", "did:example is a well-formed DID; that no resolver supports it is for verification"}},
      {"ob-v3p0/validator-fixtures/simple-err-proof-value.json",
       {"", "one character of proofValue changed: the signature fails, the shape is fine"}},
      {"ob-v3p0/validator-fixtures/endorsement-err-schema-status-refresh.json",
       {"", "the validator fails when fetching the refresh service / schema URLs (network)"}},
      // --- OB 3.0, positive ---
      {"ob-v3p0/validator-fixtures/simple.json", {}},
      {"ob-v3p0/validator-fixtures/simple_v1.json", {}},
      {"ob-v3p0/validator-fixtures/simple-noproof.json",
       {"/credentialSubject/achievement", "pre-final draft: the subject has no achievement"}},
      {"ob-v3p0/validator-fixtures/simple-context-alias.json", {}},
      {"ob-v3p0/validator-fixtures/simple-context-version.json", {}},
      {"ob-v3p0/validator-fixtures/simple-did-key-method.json", {}},
      {"ob-v3p0/validator-fixtures/simple-did-web-method.json", {}},
      {"ob-v3p0/validator-fixtures/simple-eddsa-2022.json", {}},
      {"ob-v3p0/validator-fixtures/simple-multiple-proofs.json", {}},
      {"ob-v3p0/validator-fixtures/complete.json", {}},
      {"ob-v3p0/validator-fixtures/complete_v1.json",
       {"/expirationDate", "expired in 2020; the validator rejects it too (for its schema URL)"}},
      {"ob-v3p0/validator-fixtures/endorsement-valid.json", {}},
      {"ob-v3p0/validator-fixtures/credential-status-revoked.json",
       {"", "revoked by its status list: a status check, not a shape problem"}},
      {"ob-v3p0/validator-fixtures/bit-string-list/credential-status-revoked.json",
       {"", "revoked by its status list: a status check, not a shape problem"}},
      {"ob-v3p0/validator-fixtures/bit-string-list/credential-status-revoked-blank-nodes.json",
       {"", "revoked by its status list: a status check, not a shape problem"}},
      {"ob-v3p0/validator-fixtures/sd/derivedcredential.json",
       {"/name", "a selectively disclosed credential that left out the required name"}},
      {"ob-v3p0/validator-fixtures/simple.jwt",
       {"/credentialSubject/achievement", "pre-final draft: the subject has no achievement"}},
      {"ob-v3p0/validator-fixtures/velocity.jwt", {}},
      // --- CLR 2.0 ---
      {"clr-v2p0/validator-fixtures/simple.json", {}},
      {"clr-v2p0/validator-fixtures/simple-noproof.json", {}},
      {"clr-v2p0/validator-fixtures/simple_v1.json", {}},
      {"clr-v2p0/validator-fixtures/simple_old_safesigned.json", {}},
      {"clr-v2p0/validator-fixtures/complex.json", {}},
      {"clr-v2p0/validator-fixtures/simple.jwt", {}},
      // --- the spec's official examples ---
      {"ob-v3p0/examples/basic-openbadgecredential.json", {}},
      {"ob-v3p0/examples/complete-openbadgecredential.json", {}},
      {"ob-v3p0/examples/endorsementcredential.json", {}},
      {"ob-v3p0/examples/achievement-alignment-case.json", {}},
      {"ob-v3p0/examples/achievement-alignment-credential-engine.json", {}},
      {"ob-v3p0/examples/skill-assertion-case.json", {}},
      {"ob-v3p0/examples/skill-assertion-ctdl.json", {}},
  };
  return table;
}

class FixtureTest : public ::testing::TestWithParam<std::string> {};

TEST_P(FixtureTest, FindingsMatchTheFixture) {
  const std::string& path = GetParam();
  const FixtureExpectation& expected = Expectations().at(path);
  const auto findings = CheckCredentialStructure(LoadFixture(path), {.now = FixtureNow()});
  if (expected.expected_pointer.empty()) {
    EXPECT_TRUE(findings.empty()) << path << (expected.why.empty() ? "" : " (" + expected.why + ")")
                                  << "\n" << Describe(findings);
  } else {
    EXPECT_TRUE(HasFindingAt(findings, expected.expected_pointer))
        << path << ": expected a finding at " << expected.expected_pointer << "\n"
        << Describe(findings);
  }
}

std::vector<std::string> FixturePaths() {
  std::vector<std::string> paths;
  for (const auto& [path, expectation] : Expectations()) paths.push_back(path);
  return paths;
}

INSTANTIATE_TEST_SUITE_P(Standards, FixtureTest, ::testing::ValuesIn(FixturePaths()),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

// A fixture added to the data folder later must get an expectation, not be skipped silently.
TEST(ObStructureFixtures, EveryFixtureFileHasAnExpectation) {
  const std::filesystem::path root(CAIRN_STANDARDS_DIR);
  std::set<std::string> on_disk;
  for (const char* dir : {"ob-v3p0/validator-fixtures", "clr-v2p0/validator-fixtures",
                          "ob-v3p0/examples"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root / dir)) {
      const auto ext = entry.path().extension();
      if (ext != ".json" && ext != ".jwt") continue;
      on_disk.insert(std::filesystem::relative(entry.path(), root).generic_string());
    }
  }
  std::set<std::string> listed;
  for (const auto& [path, expectation] : Expectations()) listed.insert(path);
  EXPECT_EQ(on_disk, listed);
}

// --- targeted cases on a known-good credential ---

json Simple() { return ReadStandardsJson("ob-v3p0/validator-fixtures/simple.json"); }

std::vector<StructureFinding> Check(const json& credential) {
  return CheckCredentialStructure(credential);
}

TEST(ObStructure, MissingAchievementIsNamed) {
  json vc = Simple();
  vc["credentialSubject"].erase("achievement");
  EXPECT_TRUE(HasFindingAt(Check(vc), "/credentialSubject/achievement")) << Describe(Check(vc));
}

TEST(ObStructure, CriteriaNeedsIdOrNarrative) {
  json vc = Simple();
  vc["credentialSubject"]["achievement"]["criteria"] = json::object();
  EXPECT_TRUE(HasFindingAt(Check(vc), "/credentialSubject/achievement/criteria"));
  vc["credentialSubject"]["achievement"]["criteria"] = {{"id", "https://example.com/c"}};
  EXPECT_TRUE(Check(vc).empty()) << Describe(Check(vc));
}

TEST(ObStructure, AchievementNeedsIdNameDescription) {
  json vc = Simple();
  auto& achievement = vc["credentialSubject"]["achievement"];
  achievement["id"] = "not a uri";
  achievement.erase("name");
  achievement["description"] = 7;
  const auto findings = Check(vc);
  EXPECT_TRUE(HasFindingAt(findings, "/credentialSubject/achievement/id"));
  EXPECT_TRUE(HasFindingAt(findings, "/credentialSubject/achievement/name"));
  EXPECT_TRUE(HasFindingAt(findings, "/credentialSubject/achievement/description"));
}

TEST(ObStructure, IdentityObjectNeedsAllFields) {
  json vc = Simple();
  vc["credentialSubject"].erase("id");
  vc["credentialSubject"]["identifier"] = json::array(
      {{{"type", "IdentityObject"}, {"hashed", "yes"}, {"identityType", "emailAddress"}}});
  const auto findings = Check(vc);
  EXPECT_TRUE(HasFindingAt(findings, "/credentialSubject/identifier/0/hashed"));
  EXPECT_TRUE(HasFindingAt(findings, "/credentialSubject/identifier/0/identityHash"));
  EXPECT_FALSE(HasFindingAt(findings, "/credentialSubject/identifier/0/identityType"));
}

TEST(ObStructure, SubjectNeedsIdOrIdentifier) {
  json vc = Simple();
  vc["credentialSubject"].erase("id");
  EXPECT_TRUE(HasFindingAt(Check(vc), "/credentialSubject"));
}

TEST(ObStructure, IssuerAsUriIsAccepted) {
  json vc = Simple();
  vc["issuer"] = "https://example.com/issuers/1";
  EXPECT_TRUE(Check(vc).empty()) << Describe(Check(vc));
  vc["issuer"] = "example.com";
  EXPECT_TRUE(HasFindingAt(Check(vc), "/issuer"));
}

TEST(ObStructure, ContextNeedsAnOpenBadgesContext) {
  json vc = Simple();
  vc["@context"] = json::array({"https://www.w3.org/ns/credentials/v2"});
  EXPECT_TRUE(HasFindingAt(Check(vc), "/@context"));
  vc["@context"] = "https://www.w3.org/ns/credentials/v2";
  EXPECT_TRUE(HasFindingAt(Check(vc), "/@context"));
}

TEST(ObStructure, VersionDecidesTheDateProperty) {
  json vc = Simple();
  vc["@context"][0] = "https://www.w3.org/2018/credentials/v1";
  EXPECT_TRUE(HasFindingAt(Check(vc), "/issuanceDate")) << Describe(Check(vc));
  vc = Simple();
  vc.erase("validFrom");
  vc["issuanceDate"] = "2010-01-01T00:00:00Z";
  EXPECT_TRUE(HasFindingAt(Check(vc), "/validFrom"));
}

TEST(ObStructure, DateTimesAreChecked) {
  json vc = Simple();
  vc["validFrom"] = "2010-01-01";
  EXPECT_TRUE(HasFindingAt(Check(vc), "/validFrom"));
  vc["validFrom"] = "2010-02-30T00:00:00Z";
  EXPECT_TRUE(HasFindingAt(Check(vc), "/validFrom"));
  vc["validFrom"] = "2010-01-01T10:00:00+02:00";
  vc["validUntil"] = "2010-01-01T08:30:00Z";
  EXPECT_TRUE(Check(vc).empty()) << Describe(Check(vc));
  vc["validUntil"] = "2010-01-01T07:59:59Z";  // before 08:00Z
  EXPECT_TRUE(HasFindingAt(Check(vc), "/validUntil"));
}

TEST(ObStructure, ParseDateTime) {
  using namespace std::chrono;
  EXPECT_EQ(ParseCredentialDateTime("1970-01-01T00:00:00Z")->time_since_epoch(), seconds{0});
  EXPECT_EQ(ParseCredentialDateTime("1970-01-01T01:00:00.123+01:00")->time_since_epoch(),
            seconds{0});
  EXPECT_FALSE(ParseCredentialDateTime("1970-01-01T00:00:00"));
  EXPECT_FALSE(ParseCredentialDateTime("1970-13-01T00:00:00Z"));
  EXPECT_FALSE(ParseCredentialDateTime("1970-01-01T24:00:00Z"));
  EXPECT_FALSE(ParseCredentialDateTime("1970-01-01T00:00:00.Z"));
  EXPECT_FALSE(ParseCredentialDateTime(""));
}

TEST(ObStructure, StatusEntryShapes) {
  json vc = Simple();
  vc["credentialStatus"] = {{"type", "BitstringStatusListEntry"}, {"statusPurpose", "revocation"},
                            {"statusListIndex", "-4"}};
  const auto findings = Check(vc);
  EXPECT_TRUE(HasFindingAt(findings, "/credentialStatus/statusListIndex"));
  EXPECT_TRUE(HasFindingAt(findings, "/credentialStatus/statusListCredential"));
  vc["credentialStatus"]["statusListIndex"] = "94567";
  vc["credentialStatus"]["statusListCredential"] = "https://example.com/status/3";
  EXPECT_TRUE(Check(vc).empty()) << Describe(Check(vc));
}

TEST(ObStructure, AlignmentNeedsTargetNameAndUrl) {
  json vc = Simple();
  vc["credentialSubject"]["achievement"]["alignment"] =
      json::array({{{"type", "Alignment"}, {"targetName", "x"}}});
  EXPECT_TRUE(HasFindingAt(Check(vc), "/credentialSubject/achievement/alignment/0/targetUrl"));
}

TEST(ObStructure, NotAnObjectAndHostileShapesYieldFindings) {
  EXPECT_FALSE(Check(json::array()).empty());
  EXPECT_FALSE(Check(json("text")).empty());
  json vc = Simple();
  vc["credentialSubject"] = json::array();
  vc["issuer"] = 42;
  vc["proof"] = "x";
  const auto findings = Check(vc);
  EXPECT_TRUE(HasFindingAt(findings, "/credentialSubject"));
  EXPECT_TRUE(HasFindingAt(findings, "/issuer"));
  EXPECT_TRUE(HasFindingAt(findings, "/proof"));
}

TEST(ObStructure, DeepParentOrgChainIsBounded) {
  json vc = Simple();
  json* profile = &vc["issuer"];
  for (int i = 0; i < 200; ++i) {
    (*profile)["parentOrg"] = {{"id", "https://example.com/" + std::to_string(i)},
                               {"type", "Profile"}};
    profile = &(*profile)["parentOrg"];
  }
  const auto findings = Check(vc);
  ASSERT_EQ(findings.size(), 1u) << Describe(findings);
  EXPECT_EQ(findings[0].message, "profiles are nested too deeply");
}

TEST(ObStructure, ClrChecksItsMembers) {
  json clr = ReadStandardsJson("clr-v2p0/validator-fixtures/simple.json");
  ASSERT_TRUE(Check(clr).empty()) << Describe(Check(clr));
  clr["credentialSubject"]["verifiableCredential"][0]["credentialSubject"].erase("achievement");
  EXPECT_TRUE(HasFindingAt(
      Check(clr), "/credentialSubject/verifiableCredential/0/credentialSubject/achievement"));
  clr["credentialSubject"]["verifiableCredential"] = json::array();
  EXPECT_TRUE(HasFindingAt(Check(clr), "/credentialSubject/verifiableCredential"));
  clr["@context"] = json::array({"https://www.w3.org/ns/credentials/v2",
                                 "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"});
  EXPECT_TRUE(HasFindingAt(Check(clr), "/@context"));
}

TEST(ObStructure, EndorsementNeedsEndorsementSubject) {
  json vc = ReadStandardsJson("ob-v3p0/validator-fixtures/endorsement-valid.json");
  ASSERT_TRUE(Check(vc).empty()) << Describe(Check(vc));
  vc["credentialSubject"]["type"] = "AchievementSubject";
  vc["credentialSubject"].erase("id");
  const auto findings = Check(vc);
  EXPECT_TRUE(HasFindingAt(findings, "/credentialSubject/type"));
  EXPECT_TRUE(HasFindingAt(findings, "/credentialSubject/id"));
}

TEST(ObStructure, PointerEscapesKeys) {
  json vc = Simple();
  vc.erase("issuer");
  vc["credentialSubject"]["achievement"]["criteria"] = json::object();
  for (const auto& f : Check(vc)) EXPECT_EQ(f.pointer.find("~"), std::string::npos);
  EXPECT_TRUE(HasFindingAt(Check(vc), "/issuer"));
}

}  // namespace
}  // namespace cairn::credentials
