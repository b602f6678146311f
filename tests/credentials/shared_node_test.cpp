// A shared node (jsonld::SharedNode, ProofOptions::shared) must never change a result: each test
// compares with the same document holding the node in place, canonicalized the ordinary way.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "credentials/data_integrity.hpp"
#include "credentials/eddsa_rdfc.hpp"
#include "credentials/error.hpp"
#include "credentials/jsonld.hpp"
#include "credentials/jsonld_context.hpp"

namespace cairn::credentials {
namespace {

using nlohmann::json;
using jsonld::SharedContent;
using jsonld::SharedNode;

constexpr const char* kAchievementId = "https://cairn.example/micro-credentials/mc_1/versions/1";

json Achievement() {
  const std::string id = kAchievementId;
  return {{"id", id},
          {"type", {"Achievement"}},
          {"achievementType", "MicroCredential"},
          {"name", "Culturally Responsive Teaching"},
          {"description", "Connect rigorous content to students' lives."},
          {"criteria", {{"id", id + "#criteria"}, {"narrative", "## Rubric\n\n- **Knowledge**"}}},
          {"creator", {{"id", "https://cairn.example/issuers/org_1"}, {"type", {"Profile"}}, {"name", "TPC"}}},
          {"alignment",
           {{{"id", id + "#alignment-1"},
             {"type", {"Alignment"}},
             {"targetName", "Learning Differences"},
             {"targetType", "CFItem"},
             {"targetUrl", "https://standards.example/intasc/2"}}}},
          {"tag", {"equity", "assessment"}},
          {"resultDescription",
           {{{"id", id + "#criterion-k"},
             {"type", {"ResultDescription"}},
             {"name", "Knowledge of students"},
             {"resultType", "RubricCriterionLevel"},
             {"rubricCriterionLevel",
              {{{"id", id + "#criterion-k-level-meets"},
                {"type", {"RubricCriterionLevel"}},
                {"name", "Meets"},
                {"level", "meets"},
                {"description", "Specific to these students."}}}}}}}};
}

json Credential(const std::string& serial, json achievement) {
  return {{"@context", {"https://www.w3.org/ns/credentials/v2",
                        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"}},
          {"id", "https://cairn.example/credentials/cred_" + serial},
          {"type", {"VerifiableCredential", "OpenBadgeCredential"}},
          {"issuer", {{"id", "https://cairn.example/issuers/org_1"}, {"type", {"Profile"}}, {"name", "TPC"}}},
          {"name", "Culturally Responsive Teaching"},
          {"validFrom", "2026-11-23T10:00:00Z"},
          {"credentialSubject",
           {{"type", {"AchievementSubject"}},
            {"identifier",
             {{{"type", "IdentityObject"},
               {"hashed", true},
               {"identityHash", "sha256$" + serial},
               {"identityType", "emailAddress"},
               {"salt", "salt" + serial}}}},
            {"result",
             {{{"type", {"Result"}},
               {"resultDescription", std::string(kAchievementId) + "#criterion-k"},
               {"achievedLevel", std::string(kAchievementId) + "#criterion-k-level-meets"}}}},
            {"achievement", std::move(achievement)}}}};
}

std::shared_ptr<const SharedContent> Content(json node) {
  return std::make_shared<const SharedContent>(std::make_shared<const json>(std::move(node)));
}

// The canonical N-Quads of `full` computed with the node at `pointer` shared, and whether the
// shared path was taken.
std::pair<std::string, bool> CanonicalShared(const json& full, const std::string& pointer) {
  json document = full;
  const json::json_pointer at(pointer);
  auto content = Content(document.at(at));
  document.at(at) = SharedContent::Placeholder();
  SharedNode shared{&document.at(at), content, nullptr};
  const std::string canonical = eddsa_rdfc::CanonicalDocument(document, &shared);
  SharedNode probe{&document.at(at), content, nullptr};
  jsonld::ToRdf(document, {}, probe);
  return {canonical, probe.ground_nquads != nullptr};
}

TEST(SharedNode, GivesTheSameCanonicalFormAsTheNodeInPlaceAndIsReusedAcrossDocuments) {
  jsonld::ClearContextCache();
  for (const std::string serial : {"1", "2", "3"}) {
    const json full = Credential(serial, Achievement());
    const auto [canonical, used] = CanonicalShared(full, "/credentialSubject/achievement");
    EXPECT_TRUE(used) << "every node of the Achievement is named";
    EXPECT_EQ(canonical, eddsa_rdfc::CanonicalDocument(full)) << serial;
  }
}

TEST(SharedNode, ANodeWithABlankNodeInsideIsConvertedInPlace) {
  json achievement = Achievement();
  achievement["alignment"][0].erase("id");  // now a blank node: its label depends on the rest
  const json full = Credential("7", achievement);
  const auto [canonical, used] = CanonicalShared(full, "/credentialSubject/achievement");
  EXPECT_FALSE(used);
  EXPECT_EQ(canonical, eddsa_rdfc::CanonicalDocument(full));
}

TEST(SharedNode, TheSameContentUnderAnotherContextOrPropertyIsNotMixedUp) {
  // The same node as the value of a different property, and with VC 2.0 alone (where
  // "achievement" is not a term of the active context): different quads, same cache.
  const json full = Credential("8", Achievement());
  json other = full;
  other["credentialSubject"]["achievementTwin"] = other["credentialSubject"]["achievement"];
  other["credentialSubject"].erase("achievement");
  other["@context"][1] = "https://www.w3.org/ns/credentials/examples/v2";
  CanonicalShared(full, "/credentialSubject/achievement");
  const auto [canonical, used] = CanonicalShared(other, "/credentialSubject/achievementTwin");
  EXPECT_EQ(canonical, eddsa_rdfc::CanonicalDocument(other));
}

TEST(SharedNode, ANodeInANamedGraphIsConvertedInPlace) {
  // A presentation's verifiableCredential is a @graph container: the credential's quads, the
  // Achievement's among them, go to a named graph, not the default one.
  const json presentation = {{"@context", {"https://www.w3.org/ns/credentials/v2"}},
                             {"id", "https://cairn.example/presentations/1"},
                             {"type", {"VerifiablePresentation"}},
                             {"verifiableCredential", {Credential("9", Achievement())}}};
  const auto [canonical, used] =
      CanonicalShared(presentation, "/verifiableCredential/0/credentialSubject/achievement");
  EXPECT_FALSE(used);
  EXPECT_EQ(canonical, eddsa_rdfc::CanonicalDocument(presentation));
}

TEST(SharedNode, AProofWithASharedMemberVerifiesOnTheDocumentWithTheMemberInPlace) {
  const auto pair = ed25519::GenerateKeyPair();
  const auto content = Content(Achievement());
  for (const Cryptosuite suite : {Cryptosuite::kEddsaRdfc2022, Cryptosuite::kEddsaJcs2022}) {
    ProofOptions options;
    options.suite = suite;
    options.verification_method = "https://cairn.example/issuers/org_1#key-1";
    options.created = "2026-11-23T10:00:00Z";
    options.shared_pointer = "/credentialSubject/achievement";
    options.shared = content;
    const json signed_doc =
        AddProof(Credential("5", SharedContent::Placeholder()), options, pair.secret_key);
    const json text = json::parse(content->Dump(signed_doc));
    EXPECT_EQ(text["credentialSubject"]["achievement"], Achievement());
    const auto resolver = [&](std::string_view) -> std::optional<ed25519::PublicKey> {
      return pair.public_key;
    };
    EXPECT_TRUE(VerifyProof(text, resolver).verified) << CryptosuiteName(suite);
    // And the proof is the one the document gets without sharing.
    ProofOptions plain = options;
    plain.shared_pointer.clear();
    plain.shared = nullptr;
    const json expected = AddProof(Credential("5", Achievement()), plain, pair.secret_key);
    EXPECT_EQ(text, expected) << CryptosuiteName(suite);
  }
}

TEST(SharedNode, AProofWithoutThePlaceholderIsRefused) {
  const auto pair = ed25519::GenerateKeyPair();
  ProofOptions options;
  options.verification_method = "https://cairn.example/issuers/org_1#key-1";
  options.shared_pointer = "/credentialSubject/achievement";
  options.shared = Content(Achievement());
  EXPECT_THROW(AddProof(Credential("6", Achievement()), options, pair.secret_key), CredentialError);
  options.shared_pointer = "/credentialSubject/nothing/here";
  EXPECT_THROW(AddProof(Credential("6", SharedContent::Placeholder()), options, pair.secret_key),
               CredentialError);
}

}  // namespace
}  // namespace cairn::credentials
