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

std::string Hex(std::span<const std::uint8_t> bytes) {
  return ToHex(Bytes(bytes.begin(), bytes.end()));
}

ProofOptions OptionsFrom(const json& config) {
  ProofOptions options;
  options.suite = ParseCryptosuite(config["cryptosuite"].get<std::string>()).value();
  options.verification_method = config["verificationMethod"];
  options.created = config["created"];
  options.proof_purpose = config["proofPurpose"];
  return options;
}

// --- W3C vc-di-eddsa -------------------------------------------------------------------------

constexpr const char* kW3cDir = "vc-di-eddsa/TestVectors/eddsa-rdfc-2022/";

ed25519::KeyPair W3cKeyPair() {
  return multikey::DecodeSecretKey(ReadStandardsJson("vc-di-eddsa/TestVectors/keyPair.json")
                                       ["privateKeyMultibase"]
                                           .get<std::string>());
}

std::string W3c(const std::string& name) { return ReadStandardsFile(std::string(kW3cDir) + name); }

TEST(DataIntegrityRdfc, EveryIntermediateValueMatchesTheW3cVectors) {
  const json unsigned_doc = ReadStandardsJson("vc-di-eddsa/TestVectors/unsigned.json");
  const json expected_config = json::parse(W3c("proofConfigDataInt.json"));
  const json config = ProofConfig(unsigned_doc, OptionsFrom(expected_config));
  EXPECT_EQ(config, expected_config);
  const HashData hash_data = ComputeHashData(unsigned_doc, config);
  EXPECT_EQ(hash_data.canonical_document, W3c("canonDocDataInt.txt"));
  EXPECT_EQ(hash_data.canonical_proof_config, W3c("proofCanonDataInt.txt"));
  EXPECT_EQ(Hex(hash_data.document_hash), Trimmed(W3c("docHashDataInt.txt")));
  EXPECT_EQ(Hex(hash_data.proof_config_hash), Trimmed(W3c("proofHashDataInt.txt")));
  EXPECT_EQ(Hex(hash_data.Combined()), Trimmed(W3c("combinedHashDataInt.txt")));
  const auto signature = ed25519::Sign(hash_data.Combined(), W3cKeyPair().secret_key);
  EXPECT_EQ(Hex(signature), Trimmed(W3c("sigHexDataInt.txt")));
  EXPECT_EQ(EncodeMultibase(signature), Trimmed(W3c("sigBTC58DataInt.txt")));
}

TEST(DataIntegrityRdfc, AddProofReproducesAndVerifiesTheSignedW3cVector) {
  const json unsigned_doc = ReadStandardsJson("vc-di-eddsa/TestVectors/unsigned.json");
  const json expected = json::parse(W3c("signedDataInt.json"));
  const json signed_doc =
      AddProof(unsigned_doc, OptionsFrom(json::parse(W3c("proofConfigDataInt.json"))),
               W3cKeyPair().secret_key);
  EXPECT_EQ(signed_doc, expected);
  const ProofCheck check = VerifyProof(expected, DidKeyResolver());
  EXPECT_TRUE(check.verified) << check.error;
  EXPECT_EQ(check.suite, Cryptosuite::kEddsaRdfc2022);
}

// --- 1EdTech Open Badges 3.0 and CLR 2.0 -------------------------------------------------------

class OneEdTechVectors : public ::testing::TestWithParam<const char*> {
 protected:
  std::string Dir() const { return std::string(GetParam()) + "/test-vectors/eddsa-rdfc-2022/"; }
  std::string File(const std::string& name) const { return ReadStandardsFile(Dir() + name); }
  json Json(const std::string& name) const { return ReadStandardsJson(Dir() + name); }

  ed25519::KeyPair KeyPair() const {
    const std::string hex = Json("key-pair.json")["privateKeyHex"];
    ed25519::Seed seed;
    for (std::size_t i = 0; i < seed.size(); ++i)
      seed[i] = static_cast<std::uint8_t>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
    return ed25519::KeyPairFromSeed(seed);
  }

  // The CLR vector writes its single proof as a one-member proof set.
  static json& ProofOf(json& document) {
    json& proof = document["proof"];
    return proof.is_array() ? proof[0] : proof;
  }

  KeyResolver ControllerResolver() const {
    const json controller = Json("controller-document.synthesized.json");
    return [controller](std::string_view method) {
      return multikey::KeyFromControllerDocument(controller, method, "assertionMethod");
    };
  }
};

TEST_P(OneEdTechVectors, CanonicalFormsHashesAndSignatureMatchByteForByte) {
  const json unsigned_doc = Json("unsigned-credential.json");
  const json options = Json("proof-options.json");
  const json intermediate = Json("intermediate-values.json");
  const HashData hash_data = ComputeHashData(unsigned_doc, ProofConfig(unsigned_doc, OptionsFrom(options)));
  EXPECT_EQ(hash_data.canonical_document, File("document-canon.txt"));
  EXPECT_EQ(hash_data.canonical_proof_config, File("proof-canon.txt"));
  EXPECT_EQ(Hex(hash_data.document_hash), intermediate["documentHashHex"]);
  EXPECT_EQ(Hex(hash_data.proof_config_hash), intermediate["proofHashHex"]);
  EXPECT_EQ(Hex(hash_data.Combined()), intermediate["dataToSignHex"]);
  const auto signature = ed25519::Sign(hash_data.Combined(), KeyPair().secret_key);
  EXPECT_EQ(Hex(signature), intermediate["signatureHex"]);
  EXPECT_EQ(EncodeMultibase(signature), intermediate["proofValue"]);
}

TEST_P(OneEdTechVectors, AddProofReproducesTheSignedCredential) {
  const json signed_doc = AddProof(Json("unsigned-credential.json"),
                                   OptionsFrom(Json("proof-options.json")), KeyPair().secret_key);
  json expected = Json("signed-credential.json");
  expected["proof"] = json(ProofOf(expected));
  EXPECT_EQ(signed_doc, expected);
  EXPECT_EQ(jcs::Canonicalize(signed_doc), jcs::Canonicalize(expected));
}

TEST_P(OneEdTechVectors, VerifiesWithTheIssuerControllerDocument) {
  const ProofCheck check = VerifyProof(Json("signed-credential.json"), ControllerResolver());
  EXPECT_TRUE(check.verified) << check.error;
  EXPECT_EQ(check.verification_method, Json("key-pair.json")["id"]);
}

TEST_P(OneEdTechVectors, AnyChangeToTheSignedCredentialFailsVerification) {
  const json signed_doc = Json("signed-credential.json");
  const KeyResolver resolver = ControllerResolver();
  const auto tampered = testing::TamperedCopies(signed_doc, /*reorder_arrays=*/false);
  EXPECT_GT(tampered.size(), 60u);
  json copy = signed_doc;
  const json proof = ProofOf(copy);
  const std::string canonical = ComputeHashData(signed_doc, proof).canonical_document;
  for (const auto& t : tampered) {
    const ProofCheck check = VerifyProof(t.document, resolver);
    // A context entry of an embedded credential that repeats one already in effect (the CLR
    // wraps OB credentials) changes no RDF statement, so it is not a change to what was signed.
    const bool nested_context = t.description.find("/verifiableCredential/") != std::string::npos &&
                                t.description.find("/@context: remove member") != std::string::npos;
    if (nested_context && check.verified) {
      EXPECT_EQ(ComputeHashData(t.document, proof).canonical_document, canonical)
          << t.description;
      continue;
    }
    EXPECT_FALSE(check.verified) << t.description;
  }
}

TEST_P(OneEdTechVectors, WrongKeyAndFlippedSignatureFail) {
  const json signed_doc = Json("signed-credential.json");
  const auto other = ed25519::GenerateKeyPair().public_key;
  const ProofCheck wrong_key = VerifyProof(
      signed_doc, [&](std::string_view) { return std::optional<ed25519::PublicKey>(other); });
  EXPECT_EQ(wrong_key.status, ProofStatus::kBadSignature);
  json flipped = signed_doc;
  Bytes signature = DecodeMultibase(ProofOf(flipped)["proofValue"].get<std::string>());
  signature[63] ^= 0x80;
  ProofOf(flipped)["proofValue"] = EncodeMultibase(signature);
  EXPECT_EQ(VerifyProof(flipped, ControllerResolver()).status, ProofStatus::kBadSignature);
}

INSTANTIATE_TEST_SUITE_P(OpenBadgesAndClr, OneEdTechVectors,
                         ::testing::Values("ob-v3p0", "clr-v2p0"));

TEST(DataIntegrityRdfc, SignsAndVerifiesWithAFreshDidKey) {
  const json credential =
      ReadStandardsJson("ob-v3p0/test-vectors/eddsa-rdfc-2022/unsigned-credential.json");
  const auto pair = ed25519::GenerateKeyPair();
  ProofOptions options;
  options.verification_method = multikey::DidKeyVerificationMethod(pair.public_key);
  options.created = "2026-11-23T04:00:00Z";
  const json signed_doc = AddProof(credential, options, pair.secret_key);
  EXPECT_FALSE(signed_doc["proof"].contains("@context"));
  const ProofCheck check = VerifyProof(json::parse(signed_doc.dump()), DidKeyResolver());
  EXPECT_TRUE(check.verified) << check.error;
}

TEST(DataIntegrityRdfc, UndefinedTermsAndUnbundledContextsFailCleanly) {
  const json credential =
      ReadStandardsJson("ob-v3p0/test-vectors/eddsa-rdfc-2022/unsigned-credential.json");
  const auto pair = ed25519::GenerateKeyPair();
  ProofOptions options;
  options.verification_method = multikey::DidKeyVerificationMethod(pair.public_key);
  json unbundled = credential;
  unbundled["@context"].push_back("https://example.com/not-bundled/v1");
  EXPECT_THROW(AddProof(unbundled, options, pair.secret_key), CredentialError);
  json signed_doc = AddProof(credential, options, pair.secret_key);
  signed_doc["@context"].push_back("https://example.com/not-bundled/v1");
  const ProofCheck check = VerifyProof(signed_doc, DidKeyResolver());
  EXPECT_FALSE(check.verified);
  EXPECT_EQ(check.status, ProofStatus::kMalformed);
}

// The 1EdTech validator's fixtures, signed by 1EdTech's own tooling. Their issuer profiles are
// not bundled, but every verification method id ends in its Multikey, so this resolver takes
// the key from the fragment: the test checks canonicalization and signatures against an
// independent implementation, not who owns the key.
TEST(DataIntegrityRdfc, OneEdTechValidatorFixturesGiveTheExpectedOutcome) {
  const KeyResolver key_from_fragment =
      [](std::string_view method) -> std::optional<ed25519::PublicKey> {
    if (method.substr(0, 8) == "did:key:") return multikey::ResolveDidKey(method);
    const auto hash = method.find('#');
    if (hash == std::string_view::npos) return std::nullopt;
    return multikey::DecodePublicKey(method.substr(hash + 1));
  };
  const std::pair<const char*, ProofStatus> fixtures[] = {
      {"ob-v3p0/validator-fixtures/simple.json", ProofStatus::kVerified},
      {"ob-v3p0/validator-fixtures/complete.json", ProofStatus::kVerified},
      {"ob-v3p0/validator-fixtures/endorsement-valid.json", ProofStatus::kVerified},
      {"ob-v3p0/validator-fixtures/simple-context-alias.json", ProofStatus::kVerified},
      {"ob-v3p0/validator-fixtures/simple-context-version.json", ProofStatus::kVerified},
      {"ob-v3p0/validator-fixtures/simple-did-key-method.json", ProofStatus::kVerified},
      {"ob-v3p0/validator-fixtures/simple-did-web-method.json", ProofStatus::kVerified},
      {"ob-v3p0/validator-fixtures/simple-multiple-proofs.json", ProofStatus::kVerified},
      {"ob-v3p0/validator-fixtures/simple-err-expired.json", ProofStatus::kVerified},
      {"ob-v3p0/validator-fixtures/bit-string-list/testlist", ProofStatus::kVerified},
      {"ob-v3p0/validator-fixtures/bit-string-list/credential-status-revoked.json",
       ProofStatus::kVerified},
      {"ob-v3p0/validator-fixtures/bit-string-list/credential-status-revoked-blank-nodes.json",
       ProofStatus::kVerified},
      {"clr-v2p0/validator-fixtures/simple.json", ProofStatus::kVerified},
      {"ob-v3p0/validator-fixtures/simple-err-proof-value.json", ProofStatus::kBadSignature},
      {"ob-v3p0/validator-fixtures/simple-err-proof-method.json", ProofStatus::kUnknownKey},
      {"ob-v3p0/validator-fixtures/simple-err-proof-method-no-scheme.json",
       ProofStatus::kUnknownKey},
      {"ob-v3p0/validator-fixtures/simple-err-proof-method-unknown-did-method.json",
       ProofStatus::kUnknownKey},
      // Terms no context defines: JSON-LD safe mode refuses them rather than drop them unsigned.
      {"ob-v3p0/validator-fixtures/simple-err-context.json", ProofStatus::kMalformed},
      {"ob-v3p0/validator-fixtures/simple-err-type.json", ProofStatus::kMalformed},
      {"ob-v3p0/validator-fixtures/simple-err-issuer-type.json", ProofStatus::kMalformed},
      {"ob-v3p0/validator-fixtures/simple-noproof.json", ProofStatus::kMalformed},
      {"ob-v3p0/validator-fixtures/simple-eddsa-2022.json", ProofStatus::kUnsupported},
      {"ob-v3p0/validator-fixtures/sd/derivedcredential.json", ProofStatus::kUnsupported},
      {"ob-v3p0/validator-fixtures/simple_v1.json", ProofStatus::kUnsupported},
      {"clr-v2p0/validator-fixtures/complex.json", ProofStatus::kUnsupported},
  };
  for (const auto& [path, expected] : fixtures) {
    const ProofCheck check = VerifyProof(ReadStandardsJson(path), key_from_fragment);
    EXPECT_EQ(check.status, expected) << path << ": " << check.error;
    EXPECT_EQ(check.verified, expected == ProofStatus::kVerified) << path;
  }
}

}  // namespace
}  // namespace cairn::credentials
