#pragma once
// The RDF data model shared by JSON-LD toRdf (producer) and RDFC-1.0 (consumer).
// https://www.w3.org/TR/rdf11-concepts/ and https://www.w3.org/TR/n-quads/
#include <string>
#include <vector>

namespace cairn::credentials::rdf {

enum class TermKind { kIri, kBlankNode, kLiteral, kDefaultGraph };

struct Term {
  TermKind kind = TermKind::kDefaultGraph;
  std::string value;     // IRI, blank node label without "_:", or the literal's lexical form
  std::string datatype;  // literals only; empty means xsd:string, or rdf:langString with language
  std::string language;  // literals only; lowercase is not enforced
  bool operator==(const Term&) const = default;
};

struct Quad {
  Term subject;
  Term predicate;
  Term object;
  Term graph;  // kDefaultGraph for the default graph
  bool operator==(const Quad&) const = default;
};

using Dataset = std::vector<Quad>;

}  // namespace cairn::credentials::rdf
