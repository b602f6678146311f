#include <gtest/gtest.h>

#include <string>

#include "credentials/data_integrity.hpp"
#include "credentials/digest.hpp"
#include "credentials/error.hpp"
#include "credentials/jcs.hpp"
#include "credentials/multibase.hpp"
#include "credentials/multikey.hpp"
#include "tamper.hpp"
#include "vector_files.hpp"

namespace cairn::credentials {
namespace {

using nlohmann::json;
using testing::ReadStandardsFile;
using testing::ReadStandardsJson;
using testing::Trimmed;

constexpr const char* kDir = "vc-di-eddsa/TestVectors/eddsa-jcs-2022/";

std::string Hex(std::span<const std::uint8_t> bytes) {
  return ToHex(Bytes(bytes.begin(), bytes.end()));
}

ed25519::KeyPair VectorKeyPair() {
  return multikey::DecodeSecretKey(ReadStandardsJson("vc-di-eddsa/TestVectors/keyPair.json")
                                       ["privateKeyMultibase"]
                                           .get<std::string>());
}

ProofOptions VectorOptions() {
  const json config = ReadStandardsJson(std::string(kDir) + "proofConfigJCS.json");
  ProofOptions options;
  options.suite = Cryptosuite::kEddsaJcs2022;
  options.verification_method = config["verificationMethod"];
  options.created = config["created"];
  options.proof_purpose = config["proofPurpose"];
  return options;
}

KeyResolver FixedKey(const ed25519::PublicKey& key) {
  return [key](std::string_view) { return std::optional<ed25519::PublicKey>(key); };
}

TEST(DataIntegrityJcs, ProofConfigMatchesTheW3cVector) {
  const json unsigned_doc = ReadStandardsJson("vc-di-eddsa/TestVectors/unsigned.json");
  EXPECT_EQ(ProofConfig(unsigned_doc, VectorOptions()),
            ReadStandardsJson(std::string(kDir) + "proofConfigJCS.json"));
}

TEST(DataIntegrityJcs, EveryIntermediateValueMatchesTheW3cVectors) {
  const json unsigned_doc = ReadStandardsJson("vc-di-eddsa/TestVectors/unsigned.json");
  const json config = ProofConfig(unsigned_doc, VectorOptions());
  const HashData hash_data = ComputeHashData(unsigned_doc, config);
  EXPECT_EQ(hash_data.canonical_document,
            Trimmed(ReadStandardsFile(std::string(kDir) + "canonDocJCS.txt")));
  EXPECT_EQ(hash_data.canonical_proof_config,
            Trimmed(ReadStandardsFile(std::string(kDir) + "proofCanonJCS.txt")));
  EXPECT_EQ(Hex(hash_data.document_hash),
            Trimmed(ReadStandardsFile(std::string(kDir) + "docHashJCS.txt")));
  EXPECT_EQ(Hex(hash_data.proof_config_hash),
            Trimmed(ReadStandardsFile(std::string(kDir) + "proofHashJCS.txt")));
  EXPECT_EQ(Hex(hash_data.Combined()),
            Trimmed(ReadStandardsFile(std::string(kDir) + "combinedHashJCS.txt")));
  const auto signature = ed25519::Sign(hash_data.Combined(), VectorKeyPair().secret_key);
  EXPECT_EQ(Hex(signature), Trimmed(ReadStandardsFile(std::string(kDir) + "sigHexJCS.txt")));
  EXPECT_EQ(EncodeMultibase(signature),
            Trimmed(ReadStandardsFile(std::string(kDir) + "sigBTC58JCS.txt")));
}

TEST(DataIntegrityJcs, AddProofReproducesTheSignedW3cVector) {
  const json unsigned_doc = ReadStandardsJson("vc-di-eddsa/TestVectors/unsigned.json");
  const json signed_doc = AddProof(unsigned_doc, VectorOptions(), VectorKeyPair().secret_key);
  const json expected = ReadStandardsJson(std::string(kDir) + "signedJCS.json");
  EXPECT_EQ(signed_doc, expected);
  EXPECT_EQ(jcs::Canonicalize(signed_doc), jcs::Canonicalize(expected));
}

TEST(DataIntegrityJcs, VerifiesTheSignedW3cVectorThroughDidKey) {
  const ProofCheck check =
      VerifyProof(ReadStandardsJson(std::string(kDir) + "signedJCS.json"), DidKeyResolver());
  EXPECT_TRUE(check.verified) << check.error;
  EXPECT_EQ(check.status, ProofStatus::kVerified);
  EXPECT_EQ(check.suite, Cryptosuite::kEddsaJcs2022);
  EXPECT_EQ(check.verification_method,
            "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#"
            "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2");
  EXPECT_TRUE(check.error.empty());
}

TEST(DataIntegrityJcs, AnyChangeToTheSignedVectorFailsVerification) {
  const json signed_doc = ReadStandardsJson(std::string(kDir) + "signedJCS.json");
  const auto tampered = testing::TamperedCopies(signed_doc, /*reorder_arrays=*/true);
  EXPECT_GT(tampered.size(), 50u);
  for (const auto& t : tampered) {
    const ProofCheck check = VerifyProof(t.document, DidKeyResolver());
    EXPECT_FALSE(check.verified) << t.description;
    EXPECT_FALSE(check.error.empty()) << t.description;
  }
}

TEST(DataIntegrityJcs, WrongKeyFails) {
  const json signed_doc = ReadStandardsJson(std::string(kDir) + "signedJCS.json");
  const ProofCheck check = VerifyProof(signed_doc, FixedKey(ed25519::GenerateKeyPair().public_key));
  EXPECT_FALSE(check.verified);
  EXPECT_EQ(check.status, ProofStatus::kBadSignature);
}

TEST(DataIntegrityJcs, FlippedSignatureByteFails) {
  const json signed_doc = ReadStandardsJson(std::string(kDir) + "signedJCS.json");
  const Bytes signature = DecodeMultibase(signed_doc["proof"]["proofValue"].get<std::string>());
  for (std::size_t i = 0; i < signature.size(); i += 7) {
    Bytes flipped = signature;
    flipped[i] ^= 0x01;
    json tampered = signed_doc;
    tampered["proof"]["proofValue"] = EncodeMultibase(flipped);
    const ProofCheck check = VerifyProof(tampered, DidKeyResolver());
    EXPECT_FALSE(check.verified) << "byte " << i;
    EXPECT_EQ(check.status, ProofStatus::kBadSignature) << "byte " << i;
  }
}

TEST(DataIntegrityJcs, BadProofValuesAreReportedNotThrown) {
  const json signed_doc = ReadStandardsJson(std::string(kDir) + "signedJCS.json");
  for (const json& bad : {json("z0OIl"), json("uAAAA"), json(""), json("z"), json(42),
                          json("z" + std::string(3000, '2')), json("z2NEpo7TZRRrLZSi2U")}) {
    json tampered = signed_doc;
    tampered["proof"]["proofValue"] = bad;
    const ProofCheck check = VerifyProof(tampered, DidKeyResolver());
    EXPECT_FALSE(check.verified) << bad;
    EXPECT_EQ(check.status, ProofStatus::kMalformed) << bad;
    EXPECT_FALSE(check.error.empty());
  }
  json tampered = signed_doc;
  tampered["proof"]["proofValue"] = "z0OIl";
  EXPECT_NE(VerifyProof(tampered, DidKeyResolver()).error.find("base58"), std::string::npos);
}

TEST(DataIntegrityJcs, UnsupportedProofsAreDistinctFromBadSignatures) {
  const ProofCheck ed_sig_2020 = VerifyProof(
      ReadStandardsJson("vc-di-eddsa/TestVectors/Ed25519Signature2020/signedEdSig.json"),
      DidKeyResolver());
  EXPECT_FALSE(ed_sig_2020.verified);
  EXPECT_EQ(ed_sig_2020.status, ProofStatus::kUnsupported);
  EXPECT_NE(ed_sig_2020.error.find("Ed25519Signature2020"), std::string::npos);

  const ProofCheck jwt = VerifyProof(
      json(ReadStandardsFile("clr-v2p0/validator-fixtures/simple.jwt")), DidKeyResolver());
  EXPECT_EQ(jwt.status, ProofStatus::kUnsupported) << jwt.error;

  json other_suite = ReadStandardsJson(std::string(kDir) + "signedJCS.json");
  other_suite["proof"]["cryptosuite"] = "ecdsa-jcs-2019";
  EXPECT_EQ(VerifyProof(other_suite, DidKeyResolver()).status, ProofStatus::kUnsupported);
}

TEST(DataIntegrityJcs, MissingPartsAreMalformedAndUnknownKeysAreReported) {
  const json signed_doc = ReadStandardsJson(std::string(kDir) + "signedJCS.json");
  json no_proof = signed_doc;
  no_proof.erase("proof");
  EXPECT_EQ(VerifyProof(no_proof, DidKeyResolver()).status, ProofStatus::kMalformed);
  EXPECT_EQ(VerifyProof(json::array(), DidKeyResolver()).status, ProofStatus::kMalformed);
  for (const char* member : {"type", "cryptosuite", "verificationMethod", "proofPurpose"}) {
    json missing = signed_doc;
    missing["proof"].erase(member);
    EXPECT_EQ(VerifyProof(missing, DidKeyResolver()).status, ProofStatus::kMalformed) << member;
  }
  const auto nobody = [](std::string_view) { return std::optional<ed25519::PublicKey>(); };
  EXPECT_EQ(VerifyProof(signed_doc, nobody).status, ProofStatus::kUnknownKey);
  json bad_did = signed_doc;
  bad_did["proof"]["verificationMethod"] = "did:key:z6MkNotAKey";
  EXPECT_EQ(VerifyProof(bad_did, DidKeyResolver()).status, ProofStatus::kUnknownKey);
  EXPECT_FALSE(VerifyProof(signed_doc, DidKeyResolver(), {"authentication"}).verified);
  json bad_created = signed_doc;
  bad_created["proof"]["created"] = "yesterday";
  EXPECT_EQ(VerifyProof(bad_created, DidKeyResolver()).status, ProofStatus::kMalformed);
}

TEST(DataIntegrityJcs, HostileDocumentsAreReportedNotCrashes) {
  json signed_doc = ReadStandardsJson(std::string(kDir) + "signedJCS.json");
  signed_doc["credentialSubject"]["deep"] =
      json::parse(std::string(100000, '[') + std::string(100000, ']'));
  const ProofCheck deep = VerifyProof(signed_doc, DidKeyResolver());
  EXPECT_EQ(deep.status, ProofStatus::kMalformed);
  EXPECT_NE(deep.error.find("nesting"), std::string::npos) << deep.error;
  signed_doc["credentialSubject"]["deep"] = 18446744073709551615ULL;  // beyond 2^53
  EXPECT_EQ(VerifyProof(signed_doc, DidKeyResolver()).status, ProofStatus::kMalformed);
}

TEST(DataIntegrityJcs, ProofContextMustPrefixTheDocumentContext) {
  json signed_doc = ReadStandardsJson(std::string(kDir) + "signedJCS.json");
  signed_doc["@context"] = json::array({"https://www.w3.org/ns/credentials/v2"});
  const ProofCheck check = VerifyProof(signed_doc, DidKeyResolver());
  EXPECT_FALSE(check.verified);
  EXPECT_NE(check.error.find("@context"), std::string::npos) << check.error;
}

// A realistic Open Badges 3.0 credential, signed with a fresh key and verified through did:key.
TEST(DataIntegrityJcs, SignsAndVerifiesAnOpenBadgeCredential) {
  const json credential =
      ReadStandardsJson("ob-v3p0/test-vectors/eddsa-rdfc-2022/unsigned-credential.json");
  const auto pair = ed25519::GenerateKeyPair();
  ProofOptions options;
  options.suite = Cryptosuite::kEddsaJcs2022;
  options.verification_method = multikey::DidKeyVerificationMethod(pair.public_key);
  options.created = "2026-11-23T04:00:00Z";
  const json signed_doc = AddProof(credential, options, pair.secret_key);
  EXPECT_EQ(signed_doc["proof"]["@context"], credential["@context"]);
  const ProofCheck check = VerifyProof(signed_doc, DidKeyResolver());
  EXPECT_TRUE(check.verified) << check.error;
  // Survives a round trip through text, as a stored credential must.
  EXPECT_TRUE(VerifyProof(json::parse(signed_doc.dump(2)), DidKeyResolver()).verified);
  EXPECT_THROW(AddProof(signed_doc, options, pair.secret_key), CredentialError);
  options.created = "23 Nov 2026";
  EXPECT_THROW(AddProof(credential, options, pair.secret_key), CredentialError);
}

TEST(DataIntegrityJcs, ProofSetsVerifyOnlyWhenEveryProofDoes) {
  const json unsigned_doc = ReadStandardsJson("vc-di-eddsa/TestVectors/unsigned.json");
  const auto alice = ed25519::GenerateKeyPair();
  const auto bob = ed25519::GenerateKeyPair();
  ProofOptions options;
  options.suite = Cryptosuite::kEddsaJcs2022;
  options.verification_method = multikey::DidKeyVerificationMethod(alice.public_key);
  const json by_alice = AddProof(unsigned_doc, options, alice.secret_key);
  options.verification_method = multikey::DidKeyVerificationMethod(bob.public_key);
  const json by_bob = AddProof(unsigned_doc, options, bob.secret_key);
  json both = unsigned_doc;
  both["proof"] = json::array({by_alice["proof"], by_bob["proof"]});
  EXPECT_TRUE(VerifyProof(both, DidKeyResolver()).verified);
  both["proof"][1]["proofValue"] = by_alice["proof"]["proofValue"];
  const ProofCheck check = VerifyProof(both, DidKeyResolver());
  EXPECT_FALSE(check.verified);
  EXPECT_EQ(check.verification_method, options.verification_method);

  // A proof of a type we cannot check is skipped, but it cannot stand alone.
  json with_unknown = unsigned_doc;
  with_unknown["proof"] = json::array({{{"type", "SomeProofType"}}, by_alice["proof"]});
  EXPECT_TRUE(VerifyProof(with_unknown, DidKeyResolver()).verified);
  with_unknown["proof"].erase(1);
  EXPECT_EQ(VerifyProof(with_unknown, DidKeyResolver()).status, ProofStatus::kUnsupported);
  json empty_set = unsigned_doc;
  empty_set["proof"] = json::array();
  EXPECT_EQ(VerifyProof(empty_set, DidKeyResolver()).status, ProofStatus::kMalformed);
}

TEST(DataIntegrityJcs, RdfcWithoutItsEngineIsAClearErrorNotACrash) {
  // Whether or not eddsa-rdfc-2022 is built in, an unsigned document of the wrong shape fails
  // cleanly for both suites.
  for (const auto suite : {Cryptosuite::kEddsaJcs2022, Cryptosuite::kEddsaRdfc2022}) {
    ProofOptions options;
    options.suite = suite;
    options.verification_method = "did:example:1#key";
    EXPECT_THROW(AddProof(json::array(), options, VectorKeyPair().secret_key), CredentialError);
  }
}

}  // namespace
}  // namespace cairn::credentials
