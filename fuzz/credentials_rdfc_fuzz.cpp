// Parses arbitrary bytes as N-Quads and canonicalizes what parses, with a low work limit: neither
// may crash, hang or leak; malformed input and hostile graphs must end in CredentialError.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "credentials/error.hpp"
#include "credentials/nquads.hpp"
#include "credentials/rdfc.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cairn::credentials;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const rdf::Dataset dataset = nquads::Parse(text);
    rdfc::Options options;
    options.max_work_factor = 1;
    options.hash = size % 2 ? HashAlgorithm::kSha384 : HashAlgorithm::kSha256;
    const rdfc::Canonical canonical = rdfc::Canonicalize(dataset, options);
    // The canonical form is itself N-Quads and canonicalizing it again must not change it.
    const rdfc::Canonical again = rdfc::Canonicalize(nquads::Parse(canonical.nquads), options);
    if (again.nquads != canonical.nquads) __builtin_trap();
  } catch (const CredentialError&) {
  }
  return 0;
}
