#pragma once
// N-Quads, https://www.w3.org/TR/n-quads/ (canonical form as RDFC-1.0 §4.3 / N-Triples §4).
#include <string>
#include <string_view>

#include "credentials/rdf.hpp"

namespace cairn::credentials::nquads {

std::string SerializeQuad(const rdf::Quad& quad);  // one line, with the trailing " .\n"
// Appends one term in canonical form (nothing for the default graph). RDFC-1.0 uses it to write
// quads with relabelled blank nodes without copying them.
void AppendTerm(std::string& out, const rdf::Term& term);
std::string Serialize(const rdf::Dataset& dataset);
rdf::Dataset Parse(std::string_view text);          // throws CredentialError

}  // namespace cairn::credentials::nquads
