#pragma once
// The eddsa-rdfc-2022 transformation, kept in its own translation unit so that the rest of the
// Data Integrity code builds and links without JSON-LD and RDFC-1.0.
#include <nlohmann/json.hpp>

#include <string>

namespace cairn::credentials::eddsa_rdfc {

// Canonical N-Quads of `document` without its "proof" member.
std::string CanonicalDocument(const nlohmann::json& document);

// Canonical N-Quads of the proof configuration without "proofValue", processed with the
// document's @context (`context`, or none when null), as vc-di-eddsa §3.2.5 requires.
std::string CanonicalProofConfig(const nlohmann::json& proof_config, const nlohmann::json* context);

}  // namespace cairn::credentials::eddsa_rdfc
