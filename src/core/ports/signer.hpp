#pragma once
// Signing verifiable credentials, behind a port so the use cases never link the credential engine
// (platform adapts src/credentials to it). Keys travel as raw 32-byte Ed25519 seeds, only in
// memory: at rest they are sealed by the caller.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/result.hpp"

namespace cairn::core {

struct SigningKey {
  std::string seed;             // 32 raw bytes
  std::string public_multikey;  // "z6Mk…"
};

struct SignOptions {
  std::string suite = "eddsa-rdfc-2022";  // or "eddsa-jcs-2022"
  std::string verification_method;
  std::string created;  // XML Schema dateTime
  // A member that many documents repeat word for word (an award's Achievement): a JSON Pointer
  // to where it goes, and its value. The document may hold anything at that place: the proof
  // and the signed text have the member there. The signer canonicalizes it once for all of them.
  std::string shared_member;
  std::shared_ptr<const nlohmann::json> shared_value;
};

class Signer {
 public:
  virtual ~Signer() = default;
  virtual SigningKey GenerateKey() = 0;
  // The document with a Data Integrity proof added. Safe to call from several threads at once.
  // Ignores the shared member options.
  virtual Result<nlohmann::json> Sign(nlohmann::json document, const SigningKey& key,
                                      const SignOptions& options) = 0;
  // The signed document's JSON text, with the shared member in place when the options name one.
  // Safe to call from several threads at once.
  virtual Result<std::string> SignToText(nlohmann::json document, const SigningKey& key,
                                         const SignOptions& options) = 0;
  // "did:key:z6Mk…" of a public key.
  virtual std::string DidKey(std::string_view public_multikey) = 0;
  // encodedList of a BitstringStatusList of `size` entries with the given bits set.
  virtual std::string EncodeStatusList(std::int64_t size, const std::vector<std::int64_t>& set) = 0;
  // A PNG badge rendered from the title and issuer name, for achievements without an image.
  virtual std::string RenderBadgePng(std::string_view title, std::string_view issuer) = 0;
};

}  // namespace cairn::core
