#pragma once
#include <stdexcept>
#include <string>

namespace cairn::credentials {

// Thrown by the parsers and algorithms of this module when input is malformed, a limit is hit, or
// a context is not bundled. Verification catches it and reports the failed check; it never
// crosses into the HTTP layer as a crash.
class CredentialError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace cairn::credentials
