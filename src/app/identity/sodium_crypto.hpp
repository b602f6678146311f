#pragma once
// libsodium behind the core ports: Argon2id password hashes and random bearer secrets.
#include <cstddef>
#include <memory>
#include <semaphore>
#include <string>
#include <string_view>

#include "core/identity/repository.hpp"

namespace cairn::app::identity {

struct Argon2idOptions {
  unsigned long long ops_limit = 3;             // t, passes over memory
  std::size_t mem_limit = 64u * 1024u * 1024u;  // m, bytes
  // Each hash takes mem_limit bytes and a core for a good fraction of a second; more at once
  // would let a burst of sign-ins exhaust memory, so extra callers wait.
  int max_concurrent = 2;
};

class Argon2idPasswordHasher : public core::identity::PasswordHasher {
 public:
  explicit Argon2idPasswordHasher(Argon2idOptions options = {});
  core::Result<std::string> Hash(std::string_view password) override;
  bool Verify(std::string_view hash, std::string_view password) override;
  // True when hash was made with weaker parameters than ours (worth re-hashing at sign-in).
  bool NeedsRehash(std::string_view hash) const;

 private:
  Argon2idOptions options_;
  std::unique_ptr<std::counting_semaphore<>> slots_;
};

class SodiumSecretGenerator : public core::identity::SecretGenerator {
 public:
  SodiumSecretGenerator();
  std::string NewSecret() override;
  std::string Digest(std::string_view secret) override;
};

}  // namespace cairn::app::identity
