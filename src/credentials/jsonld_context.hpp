#pragma once
// Active contexts, term definitions and IRI expansion (JSON-LD 1.1 API §4 and §5.2).
// Private to the credentials module.
#include <nlohmann/json.hpp>

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "credentials/jsonld.hpp"

namespace cairn::credentials::jsonld {

// Container mapping bits (a term may combine several, e.g. @graph + @set).
constexpr unsigned kContainerList = 1u << 0;
constexpr unsigned kContainerSet = 1u << 1;
constexpr unsigned kContainerIndex = 1u << 2;
constexpr unsigned kContainerLanguage = 1u << 3;
constexpr unsigned kContainerId = 1u << 4;
constexpr unsigned kContainerType = 1u << 5;
constexpr unsigned kContainerGraph = 1u << 6;

struct TermDefinition {
  std::optional<std::string> iri;  // nullopt: the term is explicitly mapped to null
  bool prefix = false;
  bool is_protected = false;
  bool reverse = false;
  std::optional<std::string> type_mapping;
  unsigned container = 0;
  // Outer optional: whether the term sets a language/direction at all; inner: it may set null.
  std::optional<std::optional<std::string>> language;
  std::optional<std::optional<std::string>> direction;
  std::optional<std::string> index;
  std::optional<std::string> nest;
  // The term's scoped context, shared so its address identifies it in the context cache.
  std::shared_ptr<const nlohmann::json> context;

  // Equal apart from the protected flag, as the protected-term redefinition rule compares.
  bool SameAs(const TermDefinition& other) const;
};

struct ActiveContext;
using ContextPtr = std::shared_ptr<const ActiveContext>;

// Lets terms be looked up by string_view without building a std::string.
struct TermHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

struct ActiveContext {
  std::unordered_map<std::string, TermDefinition, TermHash, std::equal_to<>> terms;
  std::optional<std::string> base;
  std::optional<std::string> vocab;
  std::optional<std::string> default_language;
  std::optional<std::string> default_direction;
  // Set by a non-propagated (type-scoped) context: the context to revert to for nested nodes.
  ContextPtr previous;
  bool has_protected = false;

  const TermDefinition* Find(std::string_view term) const;
};

ContextPtr EmptyContext();

struct ContextFlags {
  bool override_protected = false;
  bool propagate = true;
};

// Context Processing (§4.1.2). `scoped` is the shared copy of `local` when it comes from a term
// definition; its address then keys the cache instead of the serialized text.
ContextPtr ProcessContext(const ContextPtr& active, const nlohmann::json& local,
                          const Options& options, ContextFlags flags = {},
                          const std::shared_ptr<const nlohmann::json>& scoped = nullptr);

// IRI Expansion (§5.2.2) against a finished active context. nullopt means "expands to nothing".
std::optional<std::string> ExpandIri(const ActiveContext& context, const std::string& value,
                                     bool vocab, bool document_relative);

// ExpandIri without a copy: a view of the term's IRI or of `value` itself where no new string is
// needed, else of `scratch`. The view lives as long as `context`, `value` and `scratch` do.
std::optional<std::string_view> ExpandIriView(const ActiveContext& context, std::string_view value,
                                              bool vocab, bool document_relative,
                                              std::string& scratch);

// Whether `key` IRI-expands (vocab-relative) to `keyword`, without allocating.
bool ExpandsToKeyword(const ActiveContext& context, std::string_view key, std::string_view keyword);

bool IsKeyword(std::string_view value);
bool HasKeywordForm(std::string_view value);  // "@" followed by ASCII letters only
bool IsAbsoluteIri(std::string_view value);   // also true for blank node identifiers "_:x"
bool IsWellFormedLanguage(std::string_view value);
std::string ResolveIri(std::string_view base, std::string_view reference);

// Drops every cached processed context and shared node (tests use it to measure cold processing).
void ClearContextCache();

// Expansion (§5.1.2) of a document holding a shared node's placeholder (see SharedNode in
// jsonld.hpp). With `stub`, where the node's quads are taken from the cache the expanded document
// holds {"@id": id, kSharedMarker: true}; without it, the node is expanded in place.
constexpr std::string_view kSharedMarker = "@cairn-shared";
nlohmann::json ExpandDocument(const nlohmann::json& document, const Options& options,
                              SharedNode* shared, bool stub = true);
// Node Map Generation and toRdf of an expanded document. Throws SharedNodeNotInDefaultGraph when
// a shared node's stub lies in a named graph.
struct SharedNodeNotInDefaultGraph {};
rdf::Dataset ExpandedToRdf(const nlohmann::json& expanded, const Options& options);

// The process-wide cache of shared nodes, keyed by content, active context, property and depth.
struct SharedEntry {
  bool shareable = false;
  std::string id;                                    // the node's IRI
  std::shared_ptr<const std::string> ground_nquads;  // sorted canonical N-Quads of its quads
  std::size_t nodes = 0;                             // values expansion visited in it
};
struct SharedKey {
  std::array<unsigned char, 32> content{};
  ContextPtr context;
  std::string property;
  std::size_t depth = 0;
  bool safe_mode = true;
  bool operator<(const SharedKey& other) const;
};
SharedKey MakeSharedKey(const ContextPtr& context, const std::string& property,
                        const SharedContent& node, std::size_t depth, const Options& options);
std::shared_ptr<const SharedEntry> FindShared(const SharedKey& key);
// Converts an expanded node on its own and stores the result (shareable or not) under `key`.
std::shared_ptr<const SharedEntry> StoreShared(SharedKey key, const nlohmann::json& expanded,
                                               std::size_t nodes, const Options& options);
void ClearSharedCache();

}  // namespace cairn::credentials::jsonld
