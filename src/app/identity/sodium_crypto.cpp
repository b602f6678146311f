#include "app/identity/sodium_crypto.hpp"

#include <sodium.h>

#include <stdexcept>

namespace cairn::app::identity {

namespace {

void InitSodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

// Releases the slot however the hash ends.
class SlotGuard {
 public:
  explicit SlotGuard(std::counting_semaphore<>& s) : s_(s) { s_.acquire(); }
  ~SlotGuard() { s_.release(); }
  SlotGuard(const SlotGuard&) = delete;
  SlotGuard& operator=(const SlotGuard&) = delete;

 private:
  std::counting_semaphore<>& s_;
};

}  // namespace

Argon2idPasswordHasher::Argon2idPasswordHasher(Argon2idOptions options)
    : options_(options),
      slots_(std::make_unique<std::counting_semaphore<>>(options.max_concurrent < 1
                                                             ? 1
                                                             : options.max_concurrent)) {
  InitSodium();
}

core::Result<std::string> Argon2idPasswordHasher::Hash(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  SlotGuard slot(*slots_);
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), options_.ops_limit,
                            options_.mem_limit, crypto_pwhash_ALG_ARGON2ID13) != 0)
    return core::Error{core::ErrorCode::kUnavailable, "the server is busy; try again",
                       "crypto_pwhash_str_alg failed (out of memory?)", {}};
  return std::string(out);
}

bool Argon2idPasswordHasher::Verify(std::string_view hash, std::string_view password) {
  // crypto_pwhash_str_verify needs a NUL-terminated string within STRBYTES.
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  std::string h(hash);
  SlotGuard slot(*slots_);
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

bool Argon2idPasswordHasher::NeedsRehash(std::string_view hash) const {
  std::string h(hash);
  return crypto_pwhash_str_needs_rehash(h.c_str(), options_.ops_limit, options_.mem_limit) != 0;
}

SodiumSecretGenerator::SodiumSecretGenerator() { InitSodium(); }

std::string SodiumSecretGenerator::NewSecret() {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char out[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof out, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(bytes, sizeof bytes);
  return out;
}

std::string SodiumSecretGenerator::Digest(std::string_view secret) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

}  // namespace cairn::app::identity
