#include "credentials/eddsa_rdfc.hpp"

#include "credentials/jsonld.hpp"
#include "credentials/rdfc.hpp"

namespace cairn::credentials::eddsa_rdfc {

std::string CanonicalDocument(const nlohmann::json& document) {
  if (!document.contains("proof")) return rdfc::Canonicalize(jsonld::ToRdf(document)).nquads;
  nlohmann::json unsecured = document;
  unsecured.erase("proof");
  return rdfc::Canonicalize(jsonld::ToRdf(unsecured)).nquads;
}

std::string CanonicalProofConfig(const nlohmann::json& proof_config,
                                 const nlohmann::json* context) {
  nlohmann::json config = proof_config;
  config.erase("proofValue");
  if (context)
    config["@context"] = *context;
  else
    config.erase("@context");
  return rdfc::Canonicalize(jsonld::ToRdf(config)).nquads;
}

}  // namespace cairn::credentials::eddsa_rdfc
