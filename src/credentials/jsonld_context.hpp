#pragma once
// Active contexts, term definitions and IRI expansion (JSON-LD 1.1 API §4 and §5.2).
// Private to the credentials module.
#include <nlohmann/json.hpp>

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

// Drops every cached processed context (tests use it to measure cold processing).
void ClearContextCache();

}  // namespace cairn::credentials::jsonld
