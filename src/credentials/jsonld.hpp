#pragma once
// JSON-LD 1.1 expansion and conversion to RDF, for bundled contexts only.
// https://www.w3.org/TR/json-ld11-api/
#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <string>

#include "credentials/rdf.hpp"

namespace cairn::credentials::jsonld {

struct Options {
  // Safe mode (as Data Integrity requires): a term or @type that expands to nothing, or a relative
  // IRI, is an error rather than being dropped silently.
  bool safe_mode = true;
  std::size_t max_depth = 64;        // nesting of the input document
  std::size_t max_nodes = 100000;    // JSON values visited
  std::size_t max_context_depth = 32;
};

// Contexts are served from memory; a context URL that is not bundled throws CredentialError.
// Safe mode refuses what jsonld.js's `safe: true` refuses (an undefined term, a relative
// IRI, a free-floating value or node, a @direction), so both sides sign the same RDF. Processed
// contexts are cached process-wide, keyed by (active context, local context, options); both
// functions are thread-safe. There is no document base IRI: relative @id values stay relative.
nlohmann::json Expand(const nlohmann::json& document, const Options& options = {});
rdf::Dataset ToRdf(const nlohmann::json& document, const Options& options = {});

// The bundled context document for a URL, or nullptr when it is not bundled.
const nlohmann::json* BundledContext(const std::string& url);

}  // namespace cairn::credentials::jsonld
