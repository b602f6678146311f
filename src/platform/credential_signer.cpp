#include "platform/credential_signer.hpp"

#include <sodium.h>

#include <algorithm>
#include <exception>
#include <map>
#include <memory>
#include <mutex>

#include "credentials/badge_image.hpp"
#include "credentials/data_integrity.hpp"
#include "credentials/ed25519.hpp"
#include "credentials/jsonld.hpp"
#include "credentials/multikey.hpp"
#include "credentials/status_list.hpp"

namespace cairn::platform {
namespace {

namespace ed = credentials::ed25519;

// Deriving the key pair from a seed costs a scalar multiplication, about a tenth of a small
// award's signing; bulk issuing signs thousands of credentials with one key, so each thread keeps
// the last pair it derived. Wiped when the thread ends, like any SecretKey.
struct LastKeyPair {
  ed::Seed seed{};
  ed::KeyPair pair;
  bool valid = false;
  ~LastKeyPair() { sodium_memzero(seed.data(), seed.size()); }
};

const ed::KeyPair& KeyPairFor(const ed::Seed& seed) {
  thread_local LastKeyPair last;
  if (!last.valid || sodium_memcmp(last.seed.data(), seed.data(), seed.size()) != 0) {
    last.pair = ed::KeyPairFromSeed(seed);
    last.seed = seed;
    last.valid = true;
  }
  return last.pair;
}

const ed::KeyPair& KeyPairFor(const core::SigningKey& key) {
  ed::Seed seed{};
  std::copy(key.seed.begin(), key.seed.end(), seed.begin());
  const ed::KeyPair& pair = KeyPairFor(seed);
  sodium_memzero(seed.data(), seed.size());
  return pair;
}

core::Result<credentials::ProofOptions> ProofOptionsFor(const core::SigningKey& key,
                                                        const core::SignOptions& options) {
  if (key.seed.size() != ed::kSeedSize) return core::Error::Internal("signing key has wrong size");
  const auto suite = credentials::ParseCryptosuite(options.suite);
  if (!suite) return core::Error::Internal("unknown cryptosuite " + options.suite);
  credentials::ProofOptions proof;
  proof.suite = *suite;
  proof.verification_method = options.verification_method;
  proof.created = options.created;
  return proof;
}

// A batch passes the same shared value with every award: it is hashed and serialized once. The
// map holds the value's owner, so its address cannot be reused by another while it is here.
std::shared_ptr<const credentials::jsonld::SharedContent> SharedContentFor(
    const std::shared_ptr<const nlohmann::json>& value) {
  static std::mutex mutex;
  static std::map<std::shared_ptr<const nlohmann::json>,
                  std::shared_ptr<const credentials::jsonld::SharedContent>>
      recent;
  {
    std::lock_guard lock(mutex);
    if (auto it = recent.find(value); it != recent.end()) return it->second;
  }
  auto content = std::make_shared<const credentials::jsonld::SharedContent>(value);
  std::lock_guard lock(mutex);
  if (recent.size() >= 64) recent.clear();
  recent.emplace(value, content);
  return content;
}

class CredentialSigner final : public core::Signer {
 public:
  core::SigningKey GenerateKey() override {
    const ed::KeyPair pair = ed::GenerateKeyPair();
    const ed::Seed seed = pair.secret_key.seed();
    core::SigningKey key;
    key.seed.assign(reinterpret_cast<const char*>(seed.data()), seed.size());
    key.public_multikey = credentials::multikey::EncodePublicKey(pair.public_key);
    return key;
  }

  core::Result<nlohmann::json> Sign(nlohmann::json document, const core::SigningKey& key,
                                    const core::SignOptions& options) override {
    auto proof = ProofOptionsFor(key, options);
    if (!proof.ok()) return proof.error();
    try {
      return credentials::AddProof(std::move(document), *proof, KeyPairFor(key).secret_key);
    } catch (const std::exception& e) {
      // Our own serializer produced the document, so a canonicalization failure is a bug.
      return core::Error::Internal(std::string("could not sign the credential: ") + e.what());
    }
  }

  core::Result<std::string> SignToText(nlohmann::json document, const core::SigningKey& key,
                                       const core::SignOptions& options) override {
    auto proof = ProofOptionsFor(key, options);
    if (!proof.ok()) return proof.error();
    try {
      if (!options.shared_value) {
        return credentials::AddProof(std::move(document), *proof, KeyPairFor(key).secret_key).dump();
      }
      proof->shared_pointer = options.shared_member;
      proof->shared = SharedContentFor(options.shared_value);
      document.at(nlohmann::json::json_pointer(options.shared_member)) =
          credentials::jsonld::SharedContent::Placeholder();
      const auto signed_doc =
          credentials::AddProof(std::move(document), *proof, KeyPairFor(key).secret_key);
      return proof->shared->Dump(signed_doc);
    } catch (const std::exception& e) {
      return core::Error::Internal(std::string("could not sign the credential: ") + e.what());
    }
  }

  std::string DidKey(std::string_view public_multikey) override {
    return credentials::multikey::DidKey(credentials::multikey::DecodePublicKey(public_multikey));
  }

  std::string EncodeStatusList(std::int64_t size, const std::vector<std::int64_t>& set) override {
    credentials::BitstringStatusList list(static_cast<std::size_t>(size));
    for (const std::int64_t index : set) list.Set(static_cast<std::size_t>(index), true);
    return list.Encode();
  }

  std::string RenderBadgePng(std::string_view title, std::string_view issuer) override {
    return credentials::RenderPng(credentials::RenderBadgeSvg(title, issuer));
  }
};

}  // namespace

std::unique_ptr<core::Signer> MakeCredentialSigner() { return std::make_unique<CredentialSigner>(); }

}  // namespace cairn::platform
