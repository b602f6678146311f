// Fuzzes RFC 8785 canonicalization: any JSON text either canonicalizes or is refused with
// CredentialError, and canonical text is a fixed point (parsing and canonicalizing it again
// yields the same bytes), never crashing or overflowing the stack.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "credentials/error.hpp"
#include "credentials/jcs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const nlohmann::json value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return 0;
  std::string canonical;
  try {
    canonical = cairn::credentials::jcs::Canonicalize(value);
  } catch (const cairn::credentials::CredentialError&) {
    return 0;
  }
  const nlohmann::json reparsed = nlohmann::json::parse(canonical, nullptr, false);
  if (reparsed.is_discarded()) std::abort();  // canonical output must be valid JSON
  std::string again;
  try {
    again = cairn::credentials::jcs::Canonicalize(reparsed);
  } catch (const cairn::credentials::CredentialError&) {
    // An integral double above 2^53 is written as plain digits (ECMAScript does), which reads
    // back as an integer beyond 2^53, and such integers are refused on input.
    return 0;
  }
  if (again != canonical) std::abort();
  return 0;
}
