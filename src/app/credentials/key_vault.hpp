#pragma once
// The key-encryption key (KEK) and what it protects: issuer signing keys are sealed with
// crypto_secretbox under it before they reach the database, so a copy of the database alone
// signs nothing.
#include <array>
#include <string>

#include "core/common/result.hpp"

namespace cairn::app::credentials {

struct SealedSecret {
  std::string nonce_hex;
  std::string ciphertext_hex;
};

class KeyVault {
 public:
  // Reads the KEK file: 32 raw bytes (what `make run` writes), or 64 hex digits, or the base64 of
  // 32 bytes, optionally followed by a newline. Refuses a missing file, a wrong size, and a file
  // that group or others may read.
  static core::Result<KeyVault> Load(const std::string& path);
  // A KEK given directly (tests, benchmarks).
  explicit KeyVault(const std::array<unsigned char, 32>& kek) : kek_(kek) {}

  SealedSecret Seal(const std::string& plaintext) const;
  // kInternal when the secret does not open (wrong KEK or tampered row).
  core::Result<std::string> Open(const SealedSecret& sealed) const;

 private:
  std::array<unsigned char, 32> kek_{};
};

}  // namespace cairn::app::credentials
