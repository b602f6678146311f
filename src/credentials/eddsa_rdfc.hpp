#pragma once
// The eddsa-rdfc-2022 transformation, kept in its own translation unit so that the rest of the
// Data Integrity code builds and links without JSON-LD and RDFC-1.0.
#include <nlohmann/json.hpp>

#include <string>

#include "credentials/jsonld.hpp"

namespace cairn::credentials::eddsa_rdfc {

// Canonical N-Quads of `document` without its "proof" member. `shared`, when given, names the
// placeholder in the document and the node it stands for (jsonld::SharedNode); the node's quads
// are converted once and merged in, which gives the same text as the node in place.
std::string CanonicalDocument(const nlohmann::json& document,
                              const jsonld::SharedNode* shared = nullptr);

// Canonical N-Quads of the proof configuration without "proofValue", processed with the
// document's @context (`context`, or none when null), as vc-di-eddsa §3.2.5 requires.
std::string CanonicalProofConfig(const nlohmann::json& proof_config, const nlohmann::json* context);

}  // namespace cairn::credentials::eddsa_rdfc
