#include "platform/credential_signer.hpp"

#include <sodium.h>

#include <algorithm>
#include <exception>

#include "credentials/badge_image.hpp"
#include "credentials/data_integrity.hpp"
#include "credentials/ed25519.hpp"
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

  core::Result<nlohmann::json> Sign(const nlohmann::json& document, const core::SigningKey& key,
                                    const core::SignOptions& options) override {
    if (key.seed.size() != ed::kSeedSize) return core::Error::Internal("signing key has wrong size");
    const auto suite = credentials::ParseCryptosuite(options.suite);
    if (!suite) return core::Error::Internal("unknown cryptosuite " + options.suite);
    ed::Seed seed{};
    std::copy(key.seed.begin(), key.seed.end(), seed.begin());
    const ed::KeyPair& pair = KeyPairFor(seed);
    sodium_memzero(seed.data(), seed.size());
    credentials::ProofOptions proof;
    proof.suite = *suite;
    proof.verification_method = options.verification_method;
    proof.created = options.created;
    try {
      return credentials::AddProof(document, proof, pair.secret_key);
    } catch (const std::exception& e) {
      // Our own serializer produced the document, so a canonicalization failure is a bug.
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
