#include "credentials/multikey.hpp"

#include <algorithm>

#include "credentials/error.hpp"
#include "credentials/multibase.hpp"

namespace cairn::credentials::multikey {
namespace {

constexpr std::uint8_t kEd25519PubCodec[] = {0xed, 0x01};
constexpr std::uint8_t kEd25519PrivCodec[] = {0x80, 0x26};
constexpr std::string_view kDidKeyPrefix = "did:key:";

Bytes DecodeZ(std::string_view multibase, std::string_view what) {
  if (multibase.empty() || multibase.front() != 'z')
    throw CredentialError(std::string(what) + ": expected a base58btc multibase string ('z…')");
  return DecodeBase58Btc(multibase.substr(1));
}

bool HasCodec(const Bytes& bytes, const std::uint8_t (&codec)[2]) {
  return bytes.size() >= 2 && bytes[0] == codec[0] && bytes[1] == codec[1];
}

}  // namespace

std::string EncodePublicKey(const ed25519::PublicKey& key) {
  Bytes bytes(std::begin(kEd25519PubCodec), std::end(kEd25519PubCodec));
  bytes.insert(bytes.end(), key.begin(), key.end());
  return EncodeMultibase(bytes);
}

ed25519::PublicKey DecodePublicKey(std::string_view multibase) {
  const Bytes bytes = DecodeZ(multibase, "Multikey public key");
  if (!HasCodec(bytes, kEd25519PubCodec))
    throw CredentialError("Multikey public key: not an Ed25519 key (multicodec 0xed01)");
  if (bytes.size() != 2 + ed25519::kPublicKeySize)
    throw CredentialError("Multikey public key: Ed25519 key must be 32 bytes, got " +
                          std::to_string(bytes.size() - 2));
  ed25519::PublicKey key;
  std::copy(bytes.begin() + 2, bytes.end(), key.begin());
  return key;
}

std::string EncodeSecretKey(const ed25519::SecretKey& key) {
  Bytes bytes(std::begin(kEd25519PrivCodec), std::end(kEd25519PrivCodec));
  const ed25519::Seed seed = key.seed();
  bytes.insert(bytes.end(), seed.begin(), seed.end());
  std::string out = EncodeMultibase(bytes);
  std::fill(bytes.begin(), bytes.end(), 0);
  return out;
}

ed25519::KeyPair DecodeSecretKey(std::string_view multibase) {
  Bytes bytes = DecodeZ(multibase, "Multikey secret key");
  if (!HasCodec(bytes, kEd25519PrivCodec))
    throw CredentialError("Multikey secret key: not an Ed25519 key (multicodec 0x8026)");
  const std::size_t size = bytes.size() - 2;
  if (size != ed25519::kSeedSize && size != ed25519::kSecretKeySize)
    throw CredentialError("Multikey secret key: expected 32 or 64 bytes, got " +
                          std::to_string(size));
  ed25519::Seed seed;
  std::copy_n(bytes.begin() + 2, ed25519::kSeedSize, seed.begin());
  ed25519::KeyPair pair = ed25519::KeyPairFromSeed(seed);
  const bool mismatch = size == ed25519::kSecretKeySize &&
                        !std::equal(pair.public_key.begin(), pair.public_key.end(),
                                    bytes.begin() + 2 + ed25519::kSeedSize);
  std::fill(bytes.begin(), bytes.end(), 0);
  std::fill(seed.begin(), seed.end(), 0);
  if (mismatch)
    throw CredentialError("Multikey secret key: public half does not match the seed");
  return pair;
}

std::string DidKey(const ed25519::PublicKey& key) {
  return std::string(kDidKeyPrefix) + EncodePublicKey(key);
}

std::string DidKeyVerificationMethod(const ed25519::PublicKey& key) {
  const std::string multibase = EncodePublicKey(key);
  return std::string(kDidKeyPrefix) + multibase + "#" + multibase;
}

ed25519::PublicKey ResolveDidKey(std::string_view did_url) {
  if (did_url.substr(0, kDidKeyPrefix.size()) != kDidKeyPrefix)
    throw CredentialError("not a did:key DID: " + std::string(did_url.substr(0, 64)));
  std::string_view rest = did_url.substr(kDidKeyPrefix.size());
  std::string_view fragment;
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) {
    fragment = rest.substr(hash + 1);
    rest = rest.substr(0, hash);
  }
  const ed25519::PublicKey key = DecodePublicKey(rest);
  if (!fragment.empty() && fragment != rest)
    throw CredentialError("did:key: fragment does not name the DID's own key");
  return key;
}

nlohmann::json DidKeyDocument(std::string_view did) {
  if (did.find('#') != std::string_view::npos)
    throw CredentialError("did:key: a DID document is resolved from a DID, not a DID URL");
  const ed25519::PublicKey key = ResolveDidKey(did);
  const std::string multibase = EncodePublicKey(key);
  const std::string id = std::string(did);
  const std::string vm_id = id + "#" + multibase;
  const nlohmann::json refs = nlohmann::json::array({vm_id});
  return {
      {"@context", {"https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"}},
      {"id", id},
      {"verificationMethod",
       nlohmann::json::array({{{"id", vm_id},
                               {"type", "Multikey"},
                               {"controller", id},
                               {"publicKeyMultibase", multibase}}})},
      {"authentication", refs},
      {"assertionMethod", refs},
      {"capabilityDelegation", refs},
      {"capabilityInvocation", refs},
  };
}

std::optional<ed25519::PublicKey> KeyFromControllerDocument(const nlohmann::json& document,
                                                            std::string_view method_id,
                                                            std::string_view relationship) {
  if (!document.is_object()) return std::nullopt;
  const auto is_method = [&](const nlohmann::json& entry) {
    return entry.is_object() && entry.contains("id") && entry["id"].is_string() &&
           entry["id"].get_ref<const std::string&>() == method_id;
  };
  const auto key_of = [&](const nlohmann::json& entry) -> std::optional<ed25519::PublicKey> {
    if (!entry.contains("type") || entry["type"] != "Multikey")
      throw CredentialError("verification method " + std::string(method_id) +
                            " is not a Multikey");
    const auto multibase = entry.find("publicKeyMultibase");
    if (multibase == entry.end() || !multibase->is_string())
      throw CredentialError("verification method " + std::string(method_id) +
                            " has no publicKeyMultibase");
    return DecodePublicKey(multibase->get_ref<const std::string&>());
  };
  const auto listed = document.find(relationship);
  if (listed == document.end() || !listed->is_array()) return std::nullopt;
  bool referenced = false;
  for (const auto& entry : *listed) {
    if (is_method(entry)) return key_of(entry);  // embedded in the relationship
    if (entry.is_string() && entry.get_ref<const std::string&>() == method_id) referenced = true;
  }
  if (!referenced) return std::nullopt;
  const auto methods = document.find("verificationMethod");
  if (methods == document.end() || !methods->is_array()) return std::nullopt;
  for (const auto& entry : *methods)
    if (is_method(entry)) return key_of(entry);
  return std::nullopt;
}

}  // namespace cairn::credentials::multikey
