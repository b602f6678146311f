#pragma once
// Ed25519 keys as Multikey strings (https://www.w3.org/TR/cid-1.0/#Multikey) and did:key
// (https://w3c-ccg.github.io/did-key-spec/), resolved locally without any network.
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "credentials/ed25519.hpp"

namespace cairn::credentials::multikey {

// "z6Mk…": base58btc of multicodec ed25519-pub (0xed 0x01) + the 32-byte public key.
std::string EncodePublicKey(const ed25519::PublicKey& key);
ed25519::PublicKey DecodePublicKey(std::string_view multibase);  // throws CredentialError

// "z3u2…": base58btc of multicodec ed25519-priv (0x80 0x26) + the 32-byte seed.
std::string EncodeSecretKey(const ed25519::SecretKey& key);
// Accepts the 32-byte seed form and the 64-byte seed || public key form (as in the 1EdTech
// vectors), checking that the public half matches the seed.
ed25519::KeyPair DecodeSecretKey(std::string_view multibase);

// "did:key:z6Mk…" and its verification method "did:key:z6Mk…#z6Mk…".
std::string DidKey(const ed25519::PublicKey& key);
std::string DidKeyVerificationMethod(const ed25519::PublicKey& key);

// The Ed25519 public key named by a did:key DID or DID URL. A fragment, when present, must be
// the same multibase key. Throws CredentialError for anything else.
ed25519::PublicKey ResolveDidKey(std::string_view did_url);

// The DID document of a did:key DID (Multikey verification method, no key agreement key).
nlohmann::json DidKeyDocument(std::string_view did);

// The Ed25519 key of verification method `method_id` in a controller document (an issuer
// profile or DID document): a Multikey entry of "verificationMethod" that `relationship` (e.g.
// "assertionMethod") lists by id or embeds. nullopt when there is none; throws CredentialError
// when the entry exists but its key is not a valid Ed25519 Multikey.
std::optional<ed25519::PublicKey> KeyFromControllerDocument(const nlohmann::json& document,
                                                            std::string_view method_id,
                                                            std::string_view relationship);

}  // namespace cairn::credentials::multikey
