#pragma once
// W3C Data Integrity proofs with the EdDSA cryptosuites eddsa-jcs-2022 and eddsa-rdfc-2022.
// https://www.w3.org/TR/vc-data-integrity/ and https://www.w3.org/TR/vc-di-eddsa/
#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "credentials/ed25519.hpp"
#include "credentials/jsonld.hpp"

namespace cairn::credentials {

enum class Cryptosuite { kEddsaJcs2022, kEddsaRdfc2022 };

std::string_view CryptosuiteName(Cryptosuite suite);
std::optional<Cryptosuite> ParseCryptosuite(std::string_view name);

struct ProofOptions {
  Cryptosuite suite = Cryptosuite::kEddsaRdfc2022;
  std::string verification_method;
  std::string created;  // XML Schema dateTime, e.g. "2024-05-01T12:00:00Z"; empty leaves it out
  std::string proof_purpose = "assertionMethod";
  // A member that many signed documents repeat word for word (an award's Achievement), and the
  // JSON Pointer where the document holds SharedContent::Placeholder() in its place. The proof is
  // the one the document gets with the member in place; with eddsa-rdfc-2022 the member's
  // canonical form is computed once and reused (jsonld::SharedNode). AddProof leaves the
  // placeholder: SharedContent::Dump writes the signed document's text.
  std::string shared_pointer;
  std::shared_ptr<const jsonld::SharedContent> shared;
};

// The intermediate values of a proof, as the vc-di-eddsa test vectors name them.
struct HashData {
  std::string canonical_document;      // JCS text, or canonical N-Quads for rdfc
  std::string canonical_proof_config;
  std::array<std::uint8_t, 32> proof_config_hash{};  // SHA-256
  std::array<std::uint8_t, 32> document_hash{};      // SHA-256
  // proofConfigHash || transformedDocumentHash: the 64 bytes that are signed.
  std::array<std::uint8_t, 64> Combined() const;
};

// The proof configuration: type, cryptosuite, created, verificationMethod, proofPurpose, and
// the document's @context when it has one.
nlohmann::json ProofConfig(const nlohmann::json& unsigned_document, const ProofOptions& options);

// Transforms and hashes a document and a proof configuration. A "proof" member of the document
// and a "proofValue" member of the configuration are ignored, so a secured document and its proof
// can be passed as they are. Throws CredentialError for a bad configuration or a document that
// cannot be canonicalized.
// `shared`, when given, is the document's placeholder and the content it stands for.
HashData ComputeHashData(const nlohmann::json& document, const nlohmann::json& proof_config,
                         const jsonld::SharedNode* shared = nullptr);

// Returns the document with a "proof" member. Throws CredentialError if the document
// is not an object, already has a proof, or cannot be canonicalized.
nlohmann::json AddProof(nlohmann::json unsigned_document, const ProofOptions& options,
                        const ed25519::SecretKey& secret_key);

enum class ProofStatus {
  kVerified,
  kBadSignature,  // well-formed, but the signature does not match the document and the key
  kMalformed,     // missing or invalid proof members, or a document that cannot be canonicalized
  kUnknownKey,    // the verification method could not be resolved to an Ed25519 key
  kUnsupported,   // another proof type or cryptosuite (Ed25519Signature2020, JWT, …)
};

struct ProofCheck {
  bool verified = false;
  ProofStatus status = ProofStatus::kMalformed;
  std::string error;  // empty when verified; otherwise says which check failed
  std::string verification_method;
  std::optional<Cryptosuite> suite;
};

// Maps a verification method id to its Ed25519 key, or nullopt when it is unknown. May throw
// CredentialError, which is reported as kUnknownKey.
using KeyResolver = std::function<std::optional<ed25519::PublicKey>(std::string_view)>;

struct VerifyOptions {
  std::string expected_proof_purpose = "assertionMethod";
};

// Verifies the proof of a secured document. In a proof set, proofs of unsupported types are
// skipped, every other proof must verify and at least one must; the check of the first failure
// (or of the first verified proof) is returned. Never throws for bad input: each failure is
// reported in the returned check.
ProofCheck VerifyProof(const nlohmann::json& secured_document, const KeyResolver& resolver,
                       const VerifyOptions& options = {});

// Resolves did:key verification methods locally; nullopt for any other method.
KeyResolver DidKeyResolver();

}  // namespace cairn::credentials
