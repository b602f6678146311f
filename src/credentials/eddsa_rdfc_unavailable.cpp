// Linked instead of eddsa_rdfc.cpp while JSON-LD (jsonld.cmake) or RDFC-1.0 (rdfc.cmake) is not
// part of the build, so eddsa-jcs-2022 works and eddsa-rdfc-2022 fails with a clear error.
#include "credentials/eddsa_rdfc.hpp"
#include "credentials/error.hpp"

namespace cairn::credentials::eddsa_rdfc {

namespace {
[[noreturn]] void Unavailable() {
  throw CredentialError(
      "eddsa-rdfc-2022 is not available in this build (JSON-LD and RDFC-1.0 are not compiled in)");
}
}  // namespace

std::string CanonicalDocument(const nlohmann::json&) { Unavailable(); }
std::string CanonicalProofConfig(const nlohmann::json&, const nlohmann::json*) { Unavailable(); }

}  // namespace cairn::credentials::eddsa_rdfc
