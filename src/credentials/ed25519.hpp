#pragma once
// Ed25519 (RFC 8032) through libsodium.
#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace cairn::credentials::ed25519 {

inline constexpr std::size_t kSeedSize = 32;
inline constexpr std::size_t kPublicKeySize = 32;
inline constexpr std::size_t kSecretKeySize = 64;  // libsodium's seed || public key
inline constexpr std::size_t kSignatureSize = 64;

using Seed = std::array<std::uint8_t, kSeedSize>;
using PublicKey = std::array<std::uint8_t, kPublicKeySize>;
using Signature = std::array<std::uint8_t, kSignatureSize>;

// A secret key wiped from memory when it goes out of scope.
class SecretKey {
 public:
  SecretKey() = default;
  explicit SecretKey(std::span<const std::uint8_t, kSecretKeySize> bytes);
  SecretKey(const SecretKey& other) = default;
  SecretKey& operator=(const SecretKey& other) = default;
  ~SecretKey();

  const std::array<std::uint8_t, kSecretKeySize>& bytes() const { return bytes_; }
  Seed seed() const;
  PublicKey public_key() const;

 private:
  std::array<std::uint8_t, kSecretKeySize> bytes_{};
};

struct KeyPair {
  PublicKey public_key;
  SecretKey secret_key;
};

KeyPair KeyPairFromSeed(const Seed& seed);
KeyPair GenerateKeyPair();  // from libsodium's CSPRNG

Signature Sign(std::span<const std::uint8_t> message, const SecretKey& secret_key);
bool Verify(std::span<const std::uint8_t> message, const Signature& signature,
            const PublicKey& public_key);

// Views text as the bytes that are signed.
inline std::span<const std::uint8_t> AsBytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace cairn::credentials::ed25519
