#include "credentials/data_integrity.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include "credentials/digest.hpp"
#include "credentials/eddsa_rdfc.hpp"
#include "credentials/error.hpp"
#include "credentials/jcs.hpp"
#include "credentials/multibase.hpp"
#include "credentials/multikey.hpp"

namespace cairn::credentials {
namespace {

using nlohmann::json;

constexpr std::string_view kProofType = "DataIntegrityProof";

const json* Find(const json& object, std::string_view key) {
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

const std::string* FindString(const json& object, std::string_view key) {
  const json* value = Find(object, key);
  return value && value->is_string() ? &value->get_ref<const std::string&>() : nullptr;
}

// XML Schema 1.1 dateTime: -?YYYY-MM-DDThh:mm:ss(.s+)?(Z|(+|-)hh:mm)?
bool IsXmlDateTime(std::string_view s) {
  std::size_t i = 0;
  const auto digits = [&](std::size_t n) {
    for (std::size_t k = 0; k < n; ++k, ++i)
      if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    return true;
  };
  const auto literal = [&](char c) { return i < s.size() && s[i++] == c; };
  if (i < s.size() && s[i] == '-') ++i;
  if (!digits(4)) return false;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  if (!(literal('-') && digits(2) && literal('-') && digits(2) && literal('T') && digits(2) &&
        literal(':') && digits(2) && literal(':') && digits(2)))
    return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits(1)) return false;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  }
  if (i == s.size()) return true;
  if (s[i] == 'Z') return i + 1 == s.size();
  if (s[i] != '+' && s[i] != '-') return false;
  ++i;
  return digits(2) && literal(':') && digits(2) && i == s.size();
}

// Checks what every proof configuration must hold and returns its cryptosuite.
Cryptosuite CheckProofConfig(const json& config) {
  if (!config.is_object()) throw CredentialError("proof configuration must be a JSON object");
  const std::string* type = FindString(config, "type");
  if (!type || *type != kProofType) throw CredentialError("proof type must be DataIntegrityProof");
  const std::string* name = FindString(config, "cryptosuite");
  const auto suite = name ? ParseCryptosuite(*name) : std::nullopt;
  if (!suite) throw CredentialError("cryptosuite must be eddsa-jcs-2022 or eddsa-rdfc-2022");
  if (const json* created = Find(config, "created")) {
    if (!created->is_string() || !IsXmlDateTime(created->get_ref<const std::string&>()))
      throw CredentialError("proof created must be an XML Schema dateTime");
  }
  return *suite;
}

std::array<std::uint8_t, 32> Sha256(std::string_view data) {
  const auto digest = Digest(HashAlgorithm::kSha256, data);
  std::array<std::uint8_t, 32> out;
  std::copy(digest.begin(), digest.end(), out.begin());
  return out;
}

// eddsa-jcs-2022 (vc-di-eddsa §3.3): the document keeps its members except "proof", with the
// proof's @context in place of its own when the proof carries one; the configuration keeps its
// members except "proofValue" and takes the document's @context when it has none. Both are
// written straight from the input objects, without copying them.
void CanonicalizeJcs(const json& document, const json& config, HashData& out) {
  const json* proof_context = Find(config, "@context");
  const json* document_context = Find(document, "@context");
  std::vector<jcs::Member> members;
  members.reserve(std::max(document.size(), config.size()) + 1);
  for (auto it = document.begin(); it != document.end(); ++it) {
    if (it.key() == "proof" || (proof_context && it.key() == "@context")) continue;
    members.push_back({it.key(), &*it});
  }
  if (proof_context) members.push_back({"@context", proof_context});
  jcs::AppendCanonicalMembers(std::move(members), out.canonical_document);
  members.clear();
  for (auto it = config.begin(); it != config.end(); ++it) {
    if (it.key() == "proofValue") continue;
    members.push_back({it.key(), &*it});
  }
  if (!proof_context && document_context) members.push_back({"@context", document_context});
  jcs::AppendCanonicalMembers(std::move(members), out.canonical_proof_config);
}

// A @context value as a list: a single string or object is a list of one.
std::vector<const json*> ContextList(const json* context) {
  std::vector<const json*> list;
  if (!context) return list;
  if (context->is_array()) {
    for (const auto& entry : *context) list.push_back(&entry);
  } else {
    list.push_back(context);
  }
  return list;
}

bool ContextStartsWith(const json* document_context, const json* proof_context) {
  const auto doc = ContextList(document_context);
  const auto proof = ContextList(proof_context);
  return doc.size() >= proof.size() &&
         std::equal(proof.begin(), proof.end(), doc.begin(),
                    [](const json* a, const json* b) { return *a == *b; });
}

ProofCheck Fail(ProofCheck check, ProofStatus status, std::string error) {
  check.verified = false;
  check.status = status;
  check.error = std::move(error);
  return check;
}

ProofCheck VerifyOne(const json& document, const json& proof, const KeyResolver& resolver,
                     const VerifyOptions& options) {
  ProofCheck check;
  try {
    if (!proof.is_object()) return Fail(check, ProofStatus::kMalformed, "proof must be an object");
    const std::string* type = FindString(proof, "type");
    if (!type) return Fail(check, ProofStatus::kMalformed, "proof type is missing");
    if (*type != kProofType)
      return Fail(check, ProofStatus::kUnsupported,
                  "proof type " + *type +
                      " is not supported (only DataIntegrityProof with eddsa-rdfc-2022 or "
                      "eddsa-jcs-2022)");
    const std::string* suite_name = FindString(proof, "cryptosuite");
    if (!suite_name) return Fail(check, ProofStatus::kMalformed, "proof cryptosuite is missing");
    check.suite = ParseCryptosuite(*suite_name);
    if (!check.suite)
      return Fail(check, ProofStatus::kUnsupported,
                  "cryptosuite " + *suite_name + " is not supported");
    const std::string* method = FindString(proof, "verificationMethod");
    if (!method) return Fail(check, ProofStatus::kMalformed, "proof verificationMethod is missing");
    check.verification_method = *method;
    const std::string* purpose = FindString(proof, "proofPurpose");
    if (!purpose) return Fail(check, ProofStatus::kMalformed, "proof proofPurpose is missing");
    if (*purpose != options.expected_proof_purpose)
      return Fail(check, ProofStatus::kMalformed,
                  "proofPurpose " + *purpose + " does not match the expected " +
                      options.expected_proof_purpose);
    const std::string* proof_value = FindString(proof, "proofValue");
    if (!proof_value) return Fail(check, ProofStatus::kMalformed, "proof proofValue is missing");
    if (proof_value->empty() || proof_value->front() != 'z')
      return Fail(check, ProofStatus::kMalformed, "proofValue must be base58btc multibase ('z…')");
    Bytes signature_bytes;
    try {
      signature_bytes = DecodeBase58Btc(std::string_view(*proof_value).substr(1));
    } catch (const CredentialError& e) {
      return Fail(check, ProofStatus::kMalformed, std::string("proofValue: ") + e.what());
    }
    if (signature_bytes.size() != ed25519::kSignatureSize)
      return Fail(check, ProofStatus::kMalformed,
                  "proofValue must hold a 64-byte Ed25519 signature, not " +
                      std::to_string(signature_bytes.size()) + " bytes");
    std::optional<ed25519::PublicKey> key;
    try {
      key = resolver ? resolver(*method) : std::nullopt;
    } catch (const CredentialError& e) {
      return Fail(check, ProofStatus::kUnknownKey,
                  "verification method " + *method + ": " + e.what());
    }
    if (!key)
      return Fail(check, ProofStatus::kUnknownKey,
                  "verification method " + *method + " could not be resolved");
    if (*check.suite == Cryptosuite::kEddsaJcs2022 && proof.contains("@context") &&
        !ContextStartsWith(Find(document, "@context"), Find(proof, "@context")))
      return Fail(check, ProofStatus::kMalformed,
                  "the document @context does not start with the proof @context");
    HashData hash_data;
    try {
      hash_data = ComputeHashData(document, proof);
    } catch (const CredentialError& e) {
      return Fail(check, ProofStatus::kMalformed, e.what());
    }
    ed25519::Signature signature;
    std::copy(signature_bytes.begin(), signature_bytes.end(), signature.begin());
    const auto combined = hash_data.Combined();
    if (!ed25519::Verify(combined, signature, *key))
      return Fail(check, ProofStatus::kBadSignature,
                  "the signature does not match the document and the key");
    check.verified = true;
    check.status = ProofStatus::kVerified;
    return check;
  } catch (const std::exception& e) {
    // JSON-LD, RDFC and resolver code may throw other exceptions; a check never crashes.
    return Fail(check, ProofStatus::kMalformed, e.what());
  }
}

}  // namespace

std::string_view CryptosuiteName(Cryptosuite suite) {
  return suite == Cryptosuite::kEddsaJcs2022 ? "eddsa-jcs-2022" : "eddsa-rdfc-2022";
}

std::optional<Cryptosuite> ParseCryptosuite(std::string_view name) {
  if (name == "eddsa-jcs-2022") return Cryptosuite::kEddsaJcs2022;
  if (name == "eddsa-rdfc-2022") return Cryptosuite::kEddsaRdfc2022;
  return std::nullopt;
}

std::array<std::uint8_t, 64> HashData::Combined() const {
  std::array<std::uint8_t, 64> out;
  std::copy(proof_config_hash.begin(), proof_config_hash.end(), out.begin());
  std::copy(document_hash.begin(), document_hash.end(), out.begin() + 32);
  return out;
}

json ProofConfig(const json& unsigned_document, const ProofOptions& options) {
  if (!unsigned_document.is_object()) throw CredentialError("the document must be a JSON object");
  if (options.verification_method.empty())
    throw CredentialError("proof options need a verificationMethod");
  if (!options.created.empty() && !IsXmlDateTime(options.created))
    throw CredentialError("proof created must be an XML Schema dateTime");
  json config = {{"type", kProofType}, {"cryptosuite", CryptosuiteName(options.suite)}};
  if (!options.created.empty()) config["created"] = options.created;
  config["verificationMethod"] = options.verification_method;
  config["proofPurpose"] = options.proof_purpose;
  if (const json* context = Find(unsigned_document, "@context")) config["@context"] = *context;
  return config;
}

HashData ComputeHashData(const json& document, const json& proof_config,
                         const jsonld::SharedNode* shared) {
  const Cryptosuite suite = CheckProofConfig(proof_config);
  if (!document.is_object()) throw CredentialError("the document must be a JSON object");
  HashData out;
  if (suite == Cryptosuite::kEddsaJcs2022) {
    CanonicalizeJcs(document, proof_config, out);
  } else {
    out.canonical_document = eddsa_rdfc::CanonicalDocument(document, shared);
    out.canonical_proof_config =
        eddsa_rdfc::CanonicalProofConfig(proof_config, Find(document, "@context"));
  }
  out.proof_config_hash = Sha256(out.canonical_proof_config);
  out.document_hash = Sha256(out.canonical_document);
  return out;
}

json AddProof(json unsigned_document, const ProofOptions& options,
              const ed25519::SecretKey& secret_key) {
  if (!unsigned_document.is_object()) throw CredentialError("the document must be a JSON object");
  if (unsigned_document.contains("proof"))
    throw CredentialError("the document already has a proof");
  json proof = ProofConfig(unsigned_document, options);
  HashData hash_data;
  if (!options.shared) {
    hash_data = ComputeHashData(unsigned_document, proof);
  } else {
    json* placeholder = nullptr;
    try {
      placeholder = &unsigned_document.at(json::json_pointer(options.shared_pointer));
    } catch (const json::exception&) {
      throw CredentialError("no shared member placeholder at " + options.shared_pointer);
    }
    if (*placeholder != jsonld::SharedContent::Placeholder())
      throw CredentialError("no shared member placeholder at " + options.shared_pointer);
    if (options.suite == Cryptosuite::kEddsaRdfc2022) {
      const jsonld::SharedNode shared{placeholder, options.shared, nullptr};
      hash_data = ComputeHashData(unsigned_document, proof, &shared);
    } else {
      // JCS signs the text itself: the member goes in for the hash and out again after.
      *placeholder = options.shared->node();
      hash_data = ComputeHashData(unsigned_document, proof);
      *placeholder = jsonld::SharedContent::Placeholder();
    }
  }
  const ed25519::Signature signature = ed25519::Sign(hash_data.Combined(), secret_key);
  // The published eddsa-rdfc-2022 proofs carry no @context of their own (they are read in the
  // document's); the eddsa-jcs-2022 ones keep it, and verifiers check it against the document.
  if (options.suite == Cryptosuite::kEddsaRdfc2022) proof.erase("@context");
  proof["proofValue"] = EncodeMultibase(signature);
  unsigned_document["proof"] = std::move(proof);
  return unsigned_document;
}

ProofCheck VerifyProof(const json& secured_document, const KeyResolver& resolver,
                       const VerifyOptions& options) {
  ProofCheck check;
  if (secured_document.is_string()) {
    const auto& text = secured_document.get_ref<const std::string&>();
    if (std::count(text.begin(), text.end(), '.') == 2)
      return Fail(check, ProofStatus::kUnsupported,
                  "JWT-secured credentials (VC-JOSE) are not supported; only Data Integrity");
  }
  if (!secured_document.is_object())
    return Fail(check, ProofStatus::kMalformed, "the secured document must be a JSON object");
  const json* proof = Find(secured_document, "proof");
  if (!proof) return Fail(check, ProofStatus::kMalformed, "the document has no proof");
  if (!proof->is_array()) return VerifyOne(secured_document, *proof, resolver, options);
  if (proof->empty()) return Fail(check, ProofStatus::kMalformed, "the proof set is empty");
  // In a proof set each proof signs the document alone, so a proof of a type we cannot check
  // adds nothing and takes nothing away: it is skipped. Every other proof must verify, and at
  // least one must.
  std::optional<ProofCheck> verified;
  std::optional<ProofCheck> unsupported;
  for (const auto& member : *proof) {
    if (member.is_object() && member.contains("previousProof"))
      return Fail(check, ProofStatus::kUnsupported, "proof chains are not supported");
    ProofCheck result = VerifyOne(secured_document, member, resolver, options);
    if (result.status == ProofStatus::kUnsupported) {
      if (!unsupported) unsupported = std::move(result);
    } else if (!result.verified) {
      return result;
    } else if (!verified) {
      verified = std::move(result);
    }
  }
  return verified ? *verified : *unsupported;
}

KeyResolver DidKeyResolver() {
  return [](std::string_view method) -> std::optional<ed25519::PublicKey> {
    if (method.substr(0, 8) != "did:key:") return std::nullopt;
    return multikey::ResolveDidKey(method);
  };
}

}  // namespace cairn::credentials
