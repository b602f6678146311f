#include "credentials/ed25519.hpp"

#include <sodium.h>

#include <algorithm>

#include "credentials/error.hpp"

namespace cairn::credentials::ed25519 {
namespace {

void EnsureSodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw CredentialError("libsodium failed to initialise");
}

}  // namespace

SecretKey::SecretKey(std::span<const std::uint8_t, kSecretKeySize> bytes) {
  std::copy(bytes.begin(), bytes.end(), bytes_.begin());
}

SecretKey::~SecretKey() { sodium_memzero(bytes_.data(), bytes_.size()); }

Seed SecretKey::seed() const {
  Seed seed;
  std::copy_n(bytes_.begin(), kSeedSize, seed.begin());
  return seed;
}

PublicKey SecretKey::public_key() const {
  PublicKey pk;
  std::copy_n(bytes_.begin() + kSeedSize, kPublicKeySize, pk.begin());
  return pk;
}

KeyPair KeyPairFromSeed(const Seed& seed) {
  EnsureSodium();
  PublicKey pk;
  std::array<std::uint8_t, kSecretKeySize> sk;
  if (crypto_sign_seed_keypair(pk.data(), sk.data(), seed.data()) != 0)
    throw CredentialError("Ed25519 key derivation failed");
  KeyPair pair{pk, SecretKey(sk)};
  sodium_memzero(sk.data(), sk.size());
  return pair;
}

KeyPair GenerateKeyPair() {
  EnsureSodium();
  Seed seed;
  randombytes_buf(seed.data(), seed.size());
  KeyPair pair = KeyPairFromSeed(seed);
  sodium_memzero(seed.data(), seed.size());
  return pair;
}

Signature Sign(std::span<const std::uint8_t> message, const SecretKey& secret_key) {
  EnsureSodium();
  Signature sig;
  if (crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(),
                           secret_key.bytes().data()) != 0)
    throw CredentialError("Ed25519 signing failed");
  return sig;
}

bool Verify(std::span<const std::uint8_t> message, const Signature& signature,
            const PublicKey& public_key) {
  EnsureSodium();
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                     public_key.data()) == 0;
}

}  // namespace cairn::credentials::ed25519
