#pragma once
// JSON-LD 1.1 expansion and conversion to RDF, for bundled contexts only.
// https://www.w3.org/TR/json-ld11-api/
#include <nlohmann/json_fwd.hpp>

#include <array>
#include <cstddef>
#include <memory>
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

// A node object that many documents repeat word for word, such as the Achievement in every award
// of one micro-credential version: immutable, hashed (BLAKE2b) and serialized once.
class SharedContent {
 public:
  explicit SharedContent(std::shared_ptr<const nlohmann::json> node);
  const nlohmann::json& node() const { return *node_; }
  const std::array<unsigned char, 32>& hash() const { return hash_; }
  const std::string& text() const { return text_; }  // node().dump()

  // What a document holds where the shared node goes: a string no JSON text of ours contains.
  static const nlohmann::json& Placeholder();
  // The document's JSON text with the node in place of its placeholder.
  std::string Dump(const nlohmann::json& document) const;

 private:
  std::shared_ptr<const nlohmann::json> node_;
  std::array<unsigned char, 32> hash_{};
  std::string text_;
};

// ToRdf of a document whose `placeholder` stands for `content`'s node. The node's quads are
// converted once per content and context, process-wide, and handed back as sorted canonical
// N-Quads lines in `ground_nquads`; the dataset then holds only the rest, with the triple that
// links to the node. That is done only when the node has an IRI, every node inside it has one
// too (its quads have no blank node, so they cannot change how the rest is canonicalized, nor be
// changed by it), it is the value of a plain property and it lies in the default graph;
// otherwise the node is converted in place with the document and `ground_nquads` stays null.
struct SharedNode {
  const nlohmann::json* placeholder = nullptr;       // in: inside the document
  std::shared_ptr<const SharedContent> content;      // in
  std::shared_ptr<const std::string> ground_nquads;  // out
};
rdf::Dataset ToRdf(const nlohmann::json& document, const Options& options, SharedNode& shared);

// The bundled context document for a URL, or nullptr when it is not bundled.
const nlohmann::json* BundledContext(const std::string& url);

}  // namespace cairn::credentials::jsonld
