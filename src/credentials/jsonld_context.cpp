#include "credentials/jsonld_context.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "credentials/error.hpp"

namespace cairn::credentials::jsonld {

using nlohmann::json;

namespace {

constexpr std::array<std::string_view, 24> kKeywords = {
    "@base",  "@container", "@context", "@default", "@direction", "@embed",   "@explicit",
    "@graph", "@id",        "@import",  "@included", "@index",    "@json",    "@language",
    "@list",  "@nest",      "@none",    "@omitDefault", "@prefix", "@preserve", "@propagate",
    "@protected", "@requireAll", "@reverse"};
constexpr std::array<std::string_view, 5> kMoreKeywords = {"@set", "@type", "@value", "@version",
                                                           "@vocab"};

// What a processed context depends on: the context it extends, the local context (by address when
// it is a term's scoped context, else by its text), the flags, and the options, since a context
// accepted under generous limits must not be served to a caller with tighter ones.
struct CacheKey {
  const ActiveContext* active = nullptr;
  const json* scoped = nullptr;
  std::string text;
  unsigned flags = 0;
  std::size_t max_context_depth = 0;
  std::size_t max_nodes = 0;
  bool operator==(const CacheKey&) const = default;
};

struct CacheKeyHash {
  std::size_t operator()(const CacheKey& key) const {
    std::size_t h = std::hash<const void*>{}(key.active);
    auto mix = [&h](std::size_t v) { h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2); };
    mix(std::hash<const void*>{}(key.scoped));
    mix(std::hash<std::string>{}(key.text));
    mix(key.flags);
    mix(key.max_context_depth);
    mix(key.max_nodes);
    return h;
  }
};

// Processed contexts are immutable, so one processed for (active context, local context) can be
// shared by every later document that names the same contexts.
class ContextCache {
 public:
  ContextPtr Find(const CacheKey& key) {
    std::shared_lock lock(mutex_);
    auto it = entries_.find(key);
    return it == entries_.end() ? nullptr : it->second.result;
  }

  void Store(const CacheKey& key, const ContextPtr& active,
             const std::shared_ptr<const json>& scoped, const ContextPtr& result) {
    std::unique_lock lock(mutex_);
    // Hostile input could otherwise grow the cache without bound; dropping everything is rare
    // and cheap to recover from.
    if (entries_.size() >= kMaxEntries) entries_.clear();
    entries_.emplace(key, Entry{active, scoped, result});
  }

  void Clear() {
    std::unique_lock lock(mutex_);
    entries_.clear();
  }

 private:
  // A processed context holds a few hundred term definitions (tens of kB): this bounds the
  // cache to tens of MB while keeping every realistic mix of credential contexts.
  static constexpr std::size_t kMaxEntries = 1024;
  // Keys hold the addresses of `active` and `scoped`; keeping them alive here stops those
  // addresses being reused by another context while the entry exists.
  struct Entry {
    ContextPtr active;
    std::shared_ptr<const json> scoped;
    ContextPtr result;
  };
  std::shared_mutex mutex_;
  std::unordered_map<CacheKey, Entry, CacheKeyHash> entries_;
};

ContextCache& TheCache() {
  static ContextCache cache;
  return cache;
}

[[noreturn]] void Fail(const std::string& message) { throw CredentialError("JSON-LD: " + message); }

bool IsGenDelim(char c) {
  return c == ':' || c == '/' || c == '?' || c == '#' || c == '[' || c == ']' || c == '@';
}

std::size_t JsonDepth(const json& value, std::size_t limit, std::size_t depth = 0) {
  if (depth > limit) Fail("context nesting exceeds the depth limit");
  std::size_t deepest = depth;
  if (value.is_structured()) {
    for (const auto& item : value) deepest = std::max(deepest, JsonDepth(item, limit, depth + 1));
  }
  return deepest;
}

unsigned ParseContainer(const json& value) {
  auto bit = [](const json& item) -> unsigned {
    if (!item.is_string()) Fail("invalid container mapping");
    const auto& s = item.get_ref<const std::string&>();
    if (s == "@list") return kContainerList;
    if (s == "@set") return kContainerSet;
    if (s == "@index") return kContainerIndex;
    if (s == "@language") return kContainerLanguage;
    if (s == "@id") return kContainerId;
    if (s == "@type") return kContainerType;
    if (s == "@graph") return kContainerGraph;
    Fail("invalid container mapping: " + s);
  };
  if (!value.is_array()) return bit(value);
  unsigned bits = 0;
  for (const auto& item : value) bits |= bit(item);
  const unsigned others = bits & ~kContainerSet;
  const bool valid =
      (bits & kContainerGraph)
          ? (others & ~(kContainerGraph | kContainerId | kContainerIndex)) == 0 &&
                (others & (kContainerId | kContainerIndex)) !=
                    (kContainerId | kContainerIndex)
          : !(bits & kContainerList && value.size() > 1) && (others & (others - 1)) == 0;
  if (!valid || value.empty()) Fail("invalid container mapping");
  return bits;
}

class ContextProcessor {
 public:
  explicit ContextProcessor(const Options& options) : options_(options) {}

  std::shared_ptr<ActiveContext> Process(const ContextPtr& active, const json& local,
                                         ContextFlags flags, std::vector<std::string>& remote,
                                         bool validate_scoped, std::size_t depth);

 private:
  void CreateTermDefinition(ActiveContext& result, const json& local, const std::string& term,
                            std::unordered_map<std::string, bool>& defined,
                            bool protected_default, bool override_protected,
                            std::vector<std::string>& remote, std::size_t depth);
  std::optional<std::string> ExpandIriDefining(ActiveContext& result, const std::string& value,
                                               bool vocab, const json& local,
                                               std::unordered_map<std::string, bool>& defined,
                                               std::vector<std::string>& remote,
                                               std::size_t depth);
  void Tick() {
    if (++work_ > options_.max_nodes) Fail("context processing exceeds the node limit");
  }

  const Options& options_;
  std::size_t work_ = 0;
  bool override_protected_ = false;  // of the Process call that is defining terms
};

std::shared_ptr<ActiveContext> ContextProcessor::Process(const ContextPtr& active,
                                                         const json& local, ContextFlags flags,
                                                         std::vector<std::string>& remote,
                                                         bool validate_scoped,
                                                         std::size_t depth) {
  if (depth > options_.max_context_depth) Fail("contexts nest deeper than the limit");
  auto result = std::make_shared<ActiveContext>(*active);
  if (local.is_object()) {
    auto it = local.find("@propagate");
    if (it != local.end()) {
      if (!it->is_boolean()) Fail("invalid @propagate value");
      flags.propagate = it->get<bool>();
    }
  }
  if (!flags.propagate && !result->previous) result->previous = active;

  const bool saved_override = override_protected_;
  override_protected_ = flags.override_protected;
  const std::size_t count = local.is_array() ? local.size() : 1;
  for (std::size_t i = 0; i < count; ++i) {
    const json& context = local.is_array() ? local[i] : local;
    Tick();
    if (context.is_null()) {
      if (!flags.override_protected && result->has_protected) {
        Fail("invalid context nullification: the active context has protected terms");
      }
      auto fresh = std::make_shared<ActiveContext>();
      fresh->base = active->base;
      if (!flags.propagate) fresh->previous = result;
      result = fresh;
      continue;
    }
    if (context.is_string()) {
      std::string url = context.get<std::string>();
      if (result->base && !IsAbsoluteIri(url)) url = ResolveIri(*result->base, url);
      if (!validate_scoped && std::find(remote.begin(), remote.end(), url) != remote.end()) {
        continue;
      }
      if (remote.size() >= options_.max_context_depth) Fail("too many nested remote contexts");
      const json* document = BundledContext(url);
      if (document == nullptr) Fail("context is not bundled (nothing is fetched): " + url);
      if (!document->is_object() || !document->contains("@context")) {
        Fail("invalid remote context: " + url);
      }
      remote.push_back(url);
      std::vector<std::string> nested = remote;
      ContextFlags inner{flags.override_protected, true};
      result = Process(result, (*document)["@context"], inner, nested, validate_scoped,
                       depth + 1);
      continue;
    }
    if (!context.is_object()) Fail("invalid local context");

    const json* map = &context;
    json merged;
    if (auto it = context.find("@import"); it != context.end()) {
      if (!it->is_string()) Fail("invalid @import value");
      std::string url = it->get<std::string>();
      if (result->base && !IsAbsoluteIri(url)) url = ResolveIri(*result->base, url);
      const json* document = BundledContext(url);
      if (document == nullptr) Fail("imported context is not bundled: " + url);
      auto imported = document->find("@context");
      if (imported == document->end() || !imported->is_object()) {
        Fail("invalid remote context: " + url);
      }
      if (imported->contains("@import")) Fail("invalid context entry: nested @import");
      merged = *imported;
      for (const auto& [key, value] : context.items()) {
        if (key != "@import") merged[key] = value;
      }
      map = &merged;
    }
    if (auto it = map->find("@version"); it != map->end()) {
      if (!it->is_number() || it->get<double>() != 1.1) Fail("invalid @version value");
    }
    if (auto it = map->find("@base"); it != map->end() && remote.empty()) {
      if (it->is_null()) {
        result->base.reset();
      } else if (!it->is_string()) {
        Fail("invalid base IRI");
      } else if (IsAbsoluteIri(it->get_ref<const std::string&>())) {
        result->base = it->get<std::string>();
      } else if (result->base) {
        result->base = ResolveIri(*result->base, it->get_ref<const std::string&>());
      } else {
        Fail("invalid base IRI: relative @base without a base");
      }
    }
    if (auto it = map->find("@vocab"); it != map->end()) {
      if (it->is_null()) {
        result->vocab.reset();
      } else if (!it->is_string()) {
        Fail("invalid vocab mapping");
      } else {
        const std::string& vocab = it->get_ref<const std::string&>();
        std::optional<std::string> expanded =
            IsAbsoluteIri(vocab) ? std::optional<std::string>(vocab)
                                 : ExpandIri(*result, vocab, true, true);
        if (!expanded || !IsAbsoluteIri(*expanded)) {
          if (options_.safe_mode || !expanded) Fail("relative @vocab reference: " + vocab);
        }
        result->vocab = *expanded;
      }
    }
    if (auto it = map->find("@language"); it != map->end()) {
      if (it->is_null()) {
        result->default_language.reset();
      } else if (!it->is_string()) {
        Fail("invalid default language");
      } else {
        std::string language = it->get<std::string>();
        if (options_.safe_mode && !IsWellFormedLanguage(language)) {
          Fail("invalid @language value: " + language);
        }
        std::transform(language.begin(), language.end(), language.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        result->default_language = language;
      }
    }
    if (auto it = map->find("@direction"); it != map->end()) {
      if (it->is_null()) {
        result->default_direction.reset();
      } else if (*it == "ltr" || *it == "rtl") {
        result->default_direction = it->get<std::string>();
      } else {
        Fail("invalid base direction");
      }
    }
    if (auto it = map->find("@propagate"); it != map->end() && !it->is_boolean()) {
      Fail("invalid @propagate value");
    }
    bool protected_default = false;
    if (auto it = map->find("@protected"); it != map->end()) {
      if (!it->is_boolean()) Fail("invalid @protected value");
      protected_default = it->get<bool>();
    }
    std::unordered_map<std::string, bool> defined;
    for (const auto& [key, value] : map->items()) {
      if (key == "@base" || key == "@direction" || key == "@import" || key == "@language" ||
          key == "@propagate" || key == "@protected" || key == "@version" || key == "@vocab") {
        continue;
      }
      CreateTermDefinition(*result, *map, key, defined, protected_default,
                           flags.override_protected, remote, depth);
    }
  }
  override_protected_ = saved_override;
  return result;
}

std::optional<std::string> ContextProcessor::ExpandIriDefining(
    ActiveContext& result, const std::string& value, bool vocab, const json& local,
    std::unordered_map<std::string, bool>& defined, std::vector<std::string>& remote,
    std::size_t depth) {
  if (IsKeyword(value)) return value;
  if (HasKeywordForm(value)) return std::nullopt;
  auto define = [&](const std::string& term) {
    auto it = defined.find(term);
    if (local.contains(term) && (it == defined.end() || !it->second)) {
      CreateTermDefinition(result, local, term, defined, false, override_protected_, remote,
                           depth);
    }
  };
  define(value);
  const auto colon = value.find(':');
  if (colon != std::string::npos && colon > 0) define(value.substr(0, colon));
  return ExpandIri(result, value, vocab, false);
}

void ContextProcessor::CreateTermDefinition(ActiveContext& result, const json& local,
                                            const std::string& term,
                                            std::unordered_map<std::string, bool>& defined,
                                            bool protected_default, bool override_protected,
                                            std::vector<std::string>& remote,
                                            std::size_t depth) {
  Tick();
  if (auto it = defined.find(term); it != defined.end()) {
    if (it->second) return;
    Fail("cyclic IRI mapping: " + term);
  }
  if (term.empty()) Fail("invalid term definition: empty term");
  defined[term] = false;
  // The "@protected" member of the enclosing context applies unless the term says otherwise.
  bool ctx_protected = protected_default;
  if (auto it = local.find("@protected"); it != local.end() && it->is_boolean()) {
    ctx_protected = it->get<bool>();
  }
  const json& value = local.at(term);

  if (term == "@type") {
    bool ok = value.is_object() && !value.empty();
    if (ok) {
      for (const auto& [key, item] : value.items()) {
        if (!(key == "@container" && item == "@set") && key != "@protected") ok = false;
      }
    }
    if (!ok) Fail("keyword redefinition: @type");
  } else if (IsKeyword(term)) {
    Fail("keyword redefinition: " + term);
  } else if (HasKeywordForm(term)) {
    if (options_.safe_mode) Fail("reserved term: " + term);
    defined[term] = true;
    return;
  }

  std::optional<TermDefinition> previous;
  if (auto it = result.terms.find(term); it != result.terms.end()) {
    previous = std::move(it->second);
    result.terms.erase(it);
  }

  json map;
  bool simple_term = false;
  if (value.is_null()) {
    map = json{{"@id", nullptr}};
  } else if (value.is_string()) {
    map = json{{"@id", value}};
    simple_term = true;
  } else if (value.is_object()) {
    map = value;
  } else {
    Fail("invalid term definition: " + term);
  }

  TermDefinition definition;
  definition.is_protected = ctx_protected;
  if (auto it = map.find("@protected"); it != map.end()) {
    if (!it->is_boolean()) Fail("invalid @protected value");
    definition.is_protected = it->get<bool>();
  }
  if (auto it = map.find("@type"); it != map.end()) {
    if (!it->is_string()) Fail("invalid type mapping: " + term);
    auto type = ExpandIriDefining(result, it->get<std::string>(), true, local, defined, remote,
                                  depth);
    if (!type || !(*type == "@id" || *type == "@vocab" || *type == "@json" || *type == "@none" ||
                   (!IsKeyword(*type) && IsAbsoluteIri(*type) && type->rfind("_:", 0) != 0))) {
      Fail("invalid type mapping: " + term);
    }
    definition.type_mapping = *type;
  }

  if (auto it = map.find("@reverse"); it != map.end()) {
    if (map.contains("@id") || map.contains("@nest")) Fail("invalid reverse property: " + term);
    if (!it->is_string()) Fail("invalid IRI mapping: " + term);
    const std::string& reverse = it->get_ref<const std::string&>();
    if (HasKeywordForm(reverse)) {
      if (options_.safe_mode) Fail("reserved @reverse value: " + reverse);
      defined[term] = true;
      return;
    }
    auto iri = ExpandIriDefining(result, reverse, true, local, defined, remote, depth);
    if (!iri || !IsAbsoluteIri(*iri)) Fail("invalid IRI mapping: " + term);
    definition.iri = *iri;
    if (auto c = map.find("@container"); c != map.end()) {
      if (!(c->is_null() || *c == "@set" || *c == "@index")) {
        Fail("invalid reverse property: " + term);
      }
      if (c->is_string()) definition.container = ParseContainer(*c);
    }
    definition.reverse = true;
    if (definition.is_protected) result.has_protected = true;
    result.terms[term] = std::move(definition);
    defined[term] = true;
    return;
  }

  auto id = map.find("@id");
  if (id != map.end() && !(id->is_string() && *id == term)) {
    if (id->is_null()) {
      definition.iri.reset();
    } else {
      if (!id->is_string()) Fail("invalid IRI mapping: " + term);
      const std::string& id_value = id->get_ref<const std::string&>();
      if (!IsKeyword(id_value) && HasKeywordForm(id_value)) {
        if (options_.safe_mode) Fail("reserved @id value: " + id_value);
        defined[term] = true;
        return;
      }
      auto iri = ExpandIriDefining(result, id_value, true, local, defined, remote, depth);
      if (!iri || !(IsKeyword(*iri) || IsAbsoluteIri(*iri))) {
        Fail("invalid IRI mapping: " + term);
      }
      if (*iri == "@context") Fail("invalid keyword alias: @context");
      definition.iri = *iri;
      const auto colon = term.find(':', 1);
      const bool has_colon = colon != std::string::npos && colon + 1 < term.size();
      if (has_colon || term.find('/') != std::string::npos) {
        defined[term] = true;
        auto self = ExpandIriDefining(result, term, true, local, defined, remote, depth);
        if (self != definition.iri) Fail("invalid IRI mapping: " + term + " expands differently");
      } else if (term.find(':') == std::string::npos && simple_term) {
        definition.prefix = iri->rfind("_:", 0) == 0 || IsGenDelim(iri->back());
      }
    }
  } else if (auto colon = term.find(':', 1); colon != std::string::npos) {
    const std::string prefix = term.substr(0, colon);
    const std::string suffix = term.substr(colon + 1);
    if (local.contains(prefix)) {
      CreateTermDefinition(result, local, prefix, defined, protected_default, override_protected,
                           remote, depth);
    }
    if (const TermDefinition* p = result.Find(prefix); p != nullptr && p->iri) {
      definition.iri = *p->iri + suffix;
    } else {
      definition.iri = term;
    }
  } else if (term.find('/') != std::string::npos) {
    auto iri = ExpandIri(result, term, true, false);
    if (!iri || !IsAbsoluteIri(*iri)) Fail("invalid IRI mapping: " + term);
    definition.iri = *iri;
  } else if (term == "@type") {
    definition.iri = "@type";
  } else if (result.vocab) {
    definition.iri = *result.vocab + term;
  } else {
    Fail("invalid IRI mapping: " + term + " (no @vocab)");
  }

  if (auto it = map.find("@container"); it != map.end()) {
    definition.container = ParseContainer(*it);
    if (definition.container & kContainerType) {
      if (!definition.type_mapping) definition.type_mapping = "@id";
      if (*definition.type_mapping != "@id" && *definition.type_mapping != "@vocab") {
        Fail("invalid type mapping for a type map: " + term);
      }
    }
  }
  if (auto it = map.find("@index"); it != map.end()) {
    if (!(definition.container & kContainerIndex) || !it->is_string() ||
        HasKeywordForm(it->get_ref<const std::string&>())) {
      Fail("invalid term definition: @index on " + term);
    }
    definition.index = it->get<std::string>();
  }
  if (auto it = map.find("@context"); it != map.end()) {
    auto scoped = std::make_shared<const json>(*it);
    // Processed now only to report a broken scoped context where it is defined, as jsonld.js
    // does; the result is discarded because `result` is still being built.
    try {
      std::vector<std::string> nested = remote;
      auto snapshot = std::make_shared<ActiveContext>(result);
      Process(snapshot, *scoped, ContextFlags{true, true}, nested, false, depth + 1);
    } catch (const CredentialError& e) {
      Fail(std::string("invalid scoped context for ") + term + ": " + e.what());
    }
    definition.context = std::move(scoped);
  }
  if (auto it = map.find("@language"); it != map.end() && !map.contains("@type")) {
    if (!it->is_null() && !it->is_string()) Fail("invalid language mapping: " + term);
    if (it->is_string()) {
      std::string language = it->get<std::string>();
      std::transform(language.begin(), language.end(), language.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      definition.language = std::optional<std::string>(language);
    } else {
      definition.language = std::optional<std::string>();
    }
  }
  if (auto it = map.find("@direction"); it != map.end() && !map.contains("@type")) {
    if (it->is_null()) {
      definition.direction = std::optional<std::string>();
    } else if (*it == "ltr" || *it == "rtl") {
      definition.direction = std::optional<std::string>(it->get<std::string>());
    } else {
      Fail("invalid base direction: " + term);
    }
  }
  if (auto it = map.find("@nest"); it != map.end()) {
    if (!it->is_string() || (IsKeyword(it->get_ref<const std::string&>()) && *it != "@nest")) {
      Fail("invalid @nest value: " + term);
    }
    definition.nest = it->get<std::string>();
  }
  if (auto it = map.find("@prefix"); it != map.end()) {
    if (term.find(':') != std::string::npos || term.find('/') != std::string::npos) {
      Fail("invalid term definition: @prefix on " + term);
    }
    if (!it->is_boolean()) Fail("invalid @prefix value: " + term);
    definition.prefix = it->get<bool>();
    if (definition.prefix && definition.iri && IsKeyword(*definition.iri)) {
      Fail("invalid term definition: keyword prefix " + term);
    }
  }
  for (const auto& [key, ignored] : map.items()) {
    if (key != "@id" && key != "@reverse" && key != "@container" && key != "@context" &&
        key != "@direction" && key != "@index" && key != "@language" && key != "@nest" &&
        key != "@prefix" && key != "@protected" && key != "@type") {
      Fail("invalid term definition: " + term + " has " + key);
    }
  }
  if (!override_protected && previous && previous->is_protected) {
    if (!definition.SameAs(*previous)) Fail("protected term redefinition: " + term);
    definition = std::move(*previous);
  }
  if (definition.is_protected) result.has_protected = true;
  result.terms[term] = std::move(definition);
  defined[term] = true;
}

}  // namespace

bool TermDefinition::SameAs(const TermDefinition& other) const {
  auto same_context = [](const std::shared_ptr<const json>& a,
                         const std::shared_ptr<const json>& b) {
    if (!a || !b) return a == b;
    return a == b || *a == *b;
  };
  return iri == other.iri && prefix == other.prefix && reverse == other.reverse &&
         type_mapping == other.type_mapping && container == other.container &&
         language == other.language && direction == other.direction && index == other.index &&
         nest == other.nest && same_context(context, other.context);
}

const TermDefinition* ActiveContext::Find(std::string_view term) const {
  auto it = terms.find(term);
  return it == terms.end() ? nullptr : &it->second;
}

ContextPtr EmptyContext() {
  static const ContextPtr empty = std::make_shared<const ActiveContext>();
  return empty;
}

ContextPtr ProcessContext(const ContextPtr& active, const json& local, const Options& options,
                          ContextFlags flags, const std::shared_ptr<const json>& scoped) {
  CacheKey key;
  key.active = active.get();
  key.scoped = scoped.get();
  if (!scoped) {
    JsonDepth(local, options.max_depth);  // dump() recurses
    key.text = local.dump();
  }
  key.flags = (flags.override_protected ? 1u : 0u) | (flags.propagate ? 2u : 0u) |
              (options.safe_mode ? 4u : 0u);
  key.max_context_depth = options.max_context_depth;
  key.max_nodes = options.max_nodes;
  if (ContextPtr hit = TheCache().Find(key)) return hit;
  ContextProcessor processor(options);
  std::vector<std::string> remote;
  ContextPtr result = processor.Process(active, local, flags, remote, true, 0);
  TheCache().Store(key, active, scoped, result);
  return result;
}

void ClearContextCache() {
  ClearSharedCache();
  TheCache().Clear();
}

std::optional<std::string> ExpandIri(const ActiveContext& context, const std::string& value,
                                     bool vocab, bool document_relative) {
  std::string scratch;
  auto view = ExpandIriView(context, value, vocab, document_relative, scratch);
  if (!view) return std::nullopt;
  return std::string(*view);
}

std::optional<std::string_view> ExpandIriView(const ActiveContext& context, std::string_view value,
                                              bool vocab, bool document_relative,
                                              std::string& scratch) {
  if (!value.empty() && value[0] == '@') {
    if (IsKeyword(value)) return value;
    if (HasKeywordForm(value)) return std::nullopt;
  }
  if (const TermDefinition* term = context.Find(value)) {
    if (vocab || (term->iri && IsKeyword(*term->iri))) {
      if (!term->iri) return std::nullopt;
      return std::string_view(*term->iri);
    }
  }
  const auto colon = value.find(':');
  if (colon != std::string_view::npos && colon > 0) {
    const std::string_view prefix = value.substr(0, colon);
    const std::string_view suffix = value.substr(colon + 1);
    if (prefix == "_" || suffix.substr(0, 2) == "//") return value;
    if (const TermDefinition* p = context.Find(prefix); p != nullptr && p->prefix && p->iri) {
      scratch.assign(*p->iri).append(suffix);
      return std::string_view(scratch);
    }
    if (IsAbsoluteIri(value)) return value;
  }
  if (vocab && context.vocab) {
    scratch.assign(*context.vocab).append(value);
    return std::string_view(scratch);
  }
  if (document_relative && context.base) {
    scratch = ResolveIri(*context.base, value);
    return std::string_view(scratch);
  }
  return value;
}

bool ExpandsToKeyword(const ActiveContext& context, std::string_view key,
                      std::string_view keyword) {
  // Only a keyword itself or a term aliasing one can expand to a keyword.
  if (const TermDefinition* term = context.Find(key)) return term->iri && *term->iri == keyword;
  return key == keyword;
}

bool IsKeyword(std::string_view value) {
  if (value.size() < 3 || value[0] != '@') return false;
  return std::find(kKeywords.begin(), kKeywords.end(), value) != kKeywords.end() ||
         std::find(kMoreKeywords.begin(), kMoreKeywords.end(), value) != kMoreKeywords.end();
}

bool HasKeywordForm(std::string_view value) {
  if (value.size() < 2 || value[0] != '@') return false;
  return std::all_of(value.begin() + 1, value.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  });
}

bool IsAbsoluteIri(std::string_view value) {
  // As jsonld.js: a scheme (or "_" for blank nodes), a colon, and no whitespace.
  const auto colon = value.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  const std::string_view scheme = value.substr(0, colon);
  if (scheme != "_") {
    auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    if (!alpha(scheme[0])) return false;
    for (char c : scheme) {
      if (!(alpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')) return false;
    }
  }
  // This runs on every IRI of every credential: scan eight bytes at a time for any byte below
  // 0x21 ("haslessthan" from Bit Twiddling Hacks), and only then look for actual whitespace.
  const std::string_view rest = value.substr(colon);
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  std::size_t i = 0;
  bool low = false;
  for (; i + 8 <= rest.size() && !low; i += 8) {
    std::uint64_t word;
    std::memcpy(&word, rest.data() + i, sizeof word);
    low = ((word - kOnes * 0x21) & ~word & kHigh) != 0;
  }
  for (; i < rest.size() && !low; ++i) low = static_cast<unsigned char>(rest[i]) <= ' ';
  if (!low) return true;
  return rest.find_first_of(" \t\n\r\f\v") == std::string_view::npos;
}

bool IsWellFormedLanguage(std::string_view value) {
  // BCP 47 shape as jsonld.js checks it: 1-8 letters, then "-" and 1-8 alphanumerics, repeated.
  std::size_t start = 0;
  bool first = true;
  while (true) {
    std::size_t end = value.find('-', start);
    if (end == std::string_view::npos) end = value.size();
    const std::string_view part = value.substr(start, end - start);
    if (part.empty() || part.size() > 8) return false;
    for (char c : part) {
      const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (!letter && (first || !(c >= '0' && c <= '9'))) return false;
    }
    if (end == value.size()) return true;
    first = false;
    start = end + 1;
  }
}

namespace {

std::string RemoveDotSegments(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  const bool absolute = !path.empty() && path[0] == '/';
  bool trailing = false;
  while (i <= path.size()) {
    std::size_t end = path.find('/', i);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(i, end - i);
    trailing = false;
    if (segment == "..") {
      if (!out.empty()) out.pop_back();
      trailing = true;
    } else if (segment == ".") {
      trailing = true;
    } else if (!(segment.empty() && i == 0 && absolute)) {
      out.push_back(segment);
    }
    i = end + 1;
  }
  std::string result = absolute ? "/" : "";
  for (std::size_t k = 0; k < out.size(); ++k) {
    if (k > 0) result += '/';
    result += out[k];
  }
  if (trailing && (result.empty() || result.back() != '/')) result += '/';
  return result;
}

}  // namespace

std::string ResolveIri(std::string_view base, std::string_view reference) {
  // RFC 3986 §5.2, enough for @base and relative @id values.
  if (IsAbsoluteIri(reference)) return std::string(reference);
  const auto scheme_end = base.find(':');
  if (scheme_end == std::string_view::npos) return std::string(reference);
  const std::string_view scheme = base.substr(0, scheme_end + 1);
  std::string_view rest = base.substr(scheme_end + 1);
  std::string_view authority;
  if (rest.substr(0, 2) == "//") {
    const auto end = rest.find_first_of("/?#", 2);
    authority = rest.substr(0, end == std::string_view::npos ? rest.size() : end);
    rest = rest.substr(authority.size());
  }
  const auto query_start = rest.find_first_of("?#");
  const std::string_view base_path = rest.substr(0, query_start);
  const std::string_view base_query =
      query_start == std::string_view::npos ? std::string_view() : rest.substr(query_start);
  const std::string prefix = std::string(scheme) + std::string(authority);
  if (reference.substr(0, 2) == "//") return std::string(scheme) + std::string(reference);
  if (reference.empty()) {
    const auto hash = base_query.find('#');
    return prefix + std::string(base_path) + std::string(base_query.substr(0, hash));
  }
  if (reference[0] == '#') {
    const auto hash = base_query.find('#');
    return prefix + std::string(base_path) + std::string(base_query.substr(0, hash)) +
           std::string(reference);
  }
  if (reference[0] == '?') return prefix + std::string(base_path) + std::string(reference);
  const auto ref_query = reference.find_first_of("?#");
  const std::string_view ref_path = reference.substr(0, ref_query);
  const std::string_view ref_tail =
      ref_query == std::string_view::npos ? std::string_view() : reference.substr(ref_query);
  std::string merged;
  if (!ref_path.empty() && ref_path[0] == '/') {
    merged = std::string(ref_path);
  } else if (!authority.empty() && base_path.empty()) {
    merged = "/" + std::string(ref_path);
  } else {
    const auto slash = base_path.rfind('/');
    merged = (slash == std::string_view::npos ? std::string() :
                                                std::string(base_path.substr(0, slash + 1))) +
             std::string(ref_path);
  }
  return prefix + RemoveDotSegments(merged) + std::string(ref_tail);
}

}  // namespace cairn::credentials::jsonld
