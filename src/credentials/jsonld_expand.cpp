// The Expansion Algorithm (JSON-LD 1.1 API §5.1) and Value Expansion (§5.3). Where the spec leaves
// room, behaviour follows jsonld.js, which Data Integrity verifiers elsewhere run: the same input
// must give the same RDF, or signatures made by one side fail on the other.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <utility>
#include <string>
#include <vector>

#include "credentials/error.hpp"
#include "credentials/jsonld.hpp"
#include "credentials/jsonld_context.hpp"

namespace cairn::credentials::jsonld {

using nlohmann::json;

namespace {

[[noreturn]] void Fail(const std::string& message) { throw CredentialError("JSON-LD: " + message); }

void AddValue(json& object, const std::string& key, json value) {
  json& slot = object[key];
  if (slot.is_null()) slot = json::array();
  if (value.is_array()) {
    for (auto& item : value) slot.push_back(std::move(item));
  } else {
    slot.push_back(std::move(value));
  }
}

json AsArray(json value) {
  if (value.is_array()) return value;
  json array = json::array();
  array.push_back(std::move(value));
  return array;
}

bool IsGraphObject(const json& value) {
  if (!value.is_object() || !value.contains("@graph")) return false;
  for (const auto& [key, ignored] : value.items()) {
    if (key != "@graph" && key != "@id" && key != "@index" && key != "@context") return false;
  }
  return true;
}

std::string Lowercase(std::string value) {
  std::transform(value.begin(), value.end(), value.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return value;
}

class Expander {
 public:
  Expander(const Options& options, SharedNode* shared, bool stub)
      : options_(options), shared_(shared), stub_(stub) {}

  // `known_term`, when given, is active_property's definition in `active` (saves the look-up).
  json Expand(const ContextPtr& active, const std::string* active_property, const json& element,
              bool from_map, std::size_t depth,
              std::optional<const TermDefinition*> known_term = std::nullopt);

 private:
  void ExpandEntries(const ContextPtr& active, const ContextPtr& type_scoped,
                     const std::string* active_property, const json& element, json& result,
                     const std::optional<std::string>& input_type, std::size_t depth);
  json ExpandValue(const ActiveContext& active, const TermDefinition* term, const json& value);
  json ExpandShared(const ContextPtr& active, const std::string& active_property,
                    SharedNode& shared, std::size_t depth, const TermDefinition* term);
  json ExpandLanguageMap(const ActiveContext& active, const TermDefinition& term,
                         const json& value);
  json ExpandIndexMap(const ContextPtr& active, const std::string& key,
                      const TermDefinition& term, const json& value, std::size_t depth);
  std::optional<std::string> Iri(const ActiveContext& active, const std::string& value,
                                 bool vocab, bool document_relative) {
    return ExpandIri(active, value, vocab, document_relative);
  }
  // A @json literal is not expanded, but it is canonicalized later: bound it the same way.
  void CheckLiteral(const json& value, std::size_t depth) {
    if (depth > options_.max_depth) Fail("document nests deeper than the limit");
    if (++nodes_ > options_.max_nodes) Fail("document has more values than the limit");
    if (value.is_structured()) {
      for (const auto& item : value) CheckLiteral(item, depth + 1);
    }
  }
  // In safe mode a dropped value is an error: a signature must not cover less than it shows.
  void Dropped(const std::string& what) {
    if (options_.safe_mode) Fail("safe mode: " + what);
  }

  const Options& options_;
  SharedNode* shared_;
  bool stub_;
  std::size_t nodes_ = 0;
  std::string scratch_;  // for IRIs built by ExpandIriView, copied out before the next call
};

json Expander::Expand(const ContextPtr& active_in, const std::string* active_property,
                      const json& element, bool from_map, std::size_t depth,
                      std::optional<const TermDefinition*> known_term) {
  if (depth > options_.max_depth) Fail("document nests deeper than the limit");
  if (++nodes_ > options_.max_nodes) Fail("document has more values than the limit");
  ContextPtr active = active_in;
  const TermDefinition* property_term =
      known_term ? *known_term
                 : (active_property != nullptr ? active_in->Find(*active_property) : nullptr);
  if (shared_ != nullptr && &element == shared_->placeholder) {
    // Its quads come from the cache only as the plain value of a property: a container or a
    // reverse property would give them another shape or graph than converting it alone does.
    const bool plain = stub_ && !from_map && active_property != nullptr && property_term != nullptr &&
                       !property_term->reverse && (property_term->container & ~kContainerSet) == 0 &&
                       !property_term->type_mapping && shared_->content->node().is_object();
    --nodes_;  // counted again by Expand or from the cache
    SharedNode* shared = std::exchange(shared_, nullptr);
    json expanded = plain ? ExpandShared(active_in, *active_property, *shared, depth, property_term)
                          : Expand(active_in, active_property, shared->content->node(), from_map,
                                   depth, known_term);
    shared_ = shared;
    return expanded;
  }
  std::shared_ptr<const json> property_scoped =
      property_term != nullptr ? property_term->context : nullptr;
  // Only "@graph" itself or a term aliasing it expands to @graph.
  const bool graph_property =
      active_property == nullptr ||
      (property_term != nullptr ? property_term->iri == std::optional<std::string>("@graph")
                                : *active_property == "@graph");

  if (!element.is_structured()) {
    if (graph_property) {
      Dropped("free-floating scalar " + element.dump());
      return nullptr;
    }
    if (property_scoped) {
      active = ProcessContext(active, *property_scoped, options_, {true, true}, property_scoped);
      return ExpandValue(*active, active->Find(*active_property), element);
    }
    return ExpandValue(*active, property_term, element);
  }

  if (element.is_array()) {
    json result = json::array();
    result.get_ref<json::array_t&>().reserve(element.size());
    const bool list_container = property_term != nullptr &&
                                (property_term->container & kContainerList) != 0;
    for (const auto& item : element) {
      json expanded = Expand(active, active_property, item, from_map, depth + 1);
      if (list_container && expanded.is_array()) expanded = json{{"@list", std::move(expanded)}};
      if (expanded.is_array()) {
        for (auto& e : expanded) result.push_back(std::move(e));
      } else if (!expanded.is_null()) {
        result.push_back(std::move(expanded));
      }
    }
    return result;
  }

  // A type-scoped context applies to the node that has the type, not to nodes nested in it.
  if (active->previous && !from_map) {
    bool revert = true;
    for (const auto& [key, value] : element.items()) {
      if (ExpandsToKeyword(*active, key, "@value") ||
          (element.size() == 1 && ExpandsToKeyword(*active, key, "@id"))) {
        revert = false;
        break;
      }
    }
    if (revert) active = active->previous;
  }
  if (property_scoped) {
    active = ProcessContext(active, *property_scoped, options_, {true, true}, property_scoped);
  }
  if (auto it = element.find("@context"); it != element.end()) {
    // Each distinct embedded context costs a copy of the active context; charge for it so that
    // thousands of them cannot turn a small document into seconds of work and a full cache.
    nodes_ += active->terms.size() + 16;
    if (nodes_ > options_.max_nodes) Fail("document has more values than the limit");
    active = ProcessContext(active, *it, options_);
  }

  const ContextPtr type_scoped = active;
  std::optional<std::string> input_type;
  bool first_type_key = true;
  for (const auto& [key, value] : element.items()) {
    if (!ExpandsToKeyword(*active, key, "@type")) continue;
    // Only "@json" matters in the input type (for @value), and only a term can expand to it.
    const json* last = value.is_array() && !value.empty() ? &value.back() : &value;
    if (first_type_key && last->is_string()) {
      const TermDefinition* t = type_scoped->Find(last->get_ref<const std::string&>());
      if ((t != nullptr && t->iri == std::optional<std::string>("@json")) || *last == "@json") {
        input_type = "@json";
      }
    }
    first_type_key = false;
    std::vector<std::string_view> terms;
    if (value.is_string()) {
      terms.push_back(value.get_ref<const std::string&>());
    } else if (value.is_array()) {
      for (const auto& t : value) {
        if (t.is_string()) terms.push_back(t.get_ref<const std::string&>());
      }
    }
    std::sort(terms.begin(), terms.end());
    for (const auto& term : terms) {
      const TermDefinition* definition = type_scoped->Find(term);
      if (definition != nullptr && definition->context) {
        active = ProcessContext(active, *definition->context, options_, {false, false},
                                definition->context);
      }
    }
  }

  json result = json::object();
  ExpandEntries(active, type_scoped, active_property, element, result, input_type, depth);

  if (auto value = result.find("@value"); value != result.end()) {
    const bool has_type = result.contains("@type");
    for (const auto& [key, ignored] : result.items()) {
      if (key != "@direction" && key != "@index" && key != "@language" && key != "@type" &&
          key != "@value") {
        Fail("invalid value object: unexpected " + key);
      }
    }
    if (has_type && (result.contains("@language") || result.contains("@direction"))) {
      Fail("invalid value object: both @type and @language or @direction");
    }
    const json* type = has_type ? &result["@type"] : nullptr;
    if (type != nullptr && *type == "@json") return result;
    if (value->is_null()) {
      Dropped("null @value");
      return nullptr;
    }
    if (!value->is_string() && result.contains("@language")) {
      Fail("invalid language-tagged value");
    }
    if (type != nullptr &&
        (!type->is_string() || !IsAbsoluteIri(type->get_ref<const std::string&>()) ||
         type->get_ref<const std::string&>().rfind("_:", 0) == 0)) {
      Fail("invalid typed value: " + type->dump());
    }
  } else if (auto type = result.find("@type"); type != result.end() && !type->is_array()) {
    *type = AsArray(std::move(*type));
  } else if (result.contains("@set") || result.contains("@list")) {
    if (result.size() > 2 || (result.size() == 2 && !result.contains("@index"))) {
      Fail("invalid set or list object");
    }
    if (result.contains("@set")) {
      json set = std::move(result["@set"]);
      return set;
    }
  }
  if (result.size() == 1 && result.contains("@language")) {
    Dropped("object with only @language");
    return nullptr;
  }
  const bool graph_container =
      property_term != nullptr && (property_term->container & kContainerGraph) != 0;
  if (graph_property || graph_container) {
    if (result.empty() || result.contains("@value") || result.contains("@list") ||
        (result.size() == 1 && result.contains("@id"))) {
      Dropped("free-floating node " + result.dump());
      return nullptr;
    }
  }
  return result;
}

void Expander::ExpandEntries(const ContextPtr& active, const ContextPtr& type_scoped,
                             const std::string* active_property, const json& element,
                             json& result, const std::optional<std::string>& input_type,
                             std::size_t depth) {
  std::vector<std::string> nests;
  const bool reverse_parent =
      active_property != nullptr && ExpandsToKeyword(*active, *active_property, "@reverse");
  for (const auto& [key, value] : element.items()) {
    if (key == "@context") continue;
    // A defined term's IRI was checked when the term was defined; only other keys need work.
    const TermDefinition* key_term = active->Find(key);
    std::optional<std::string> computed;
    if (key_term == nullptr) computed = Iri(*active, key, true, false);
    const std::optional<std::string>& expanded_property = key_term ? key_term->iri : computed;
    if (!expanded_property ||
        !(IsKeyword(*expanded_property) || IsAbsoluteIri(*expanded_property))) {
      Dropped("property \"" + key + "\" is not defined by the context");
      continue;
    }
    const std::string& property = *expanded_property;
    if (IsKeyword(property)) {
      if (reverse_parent) Fail("invalid reverse property map");
      if (result.contains(property) && property != "@included" && property != "@type") {
        Fail("colliding keywords: " + property);
      }
      if (property == "@id") {
        if (!value.is_string()) Fail("invalid @id value");
        const std::string& id = value.get_ref<const std::string&>();
        auto iri = ExpandIriView(*active, id, false, true, scratch_);
        if (!iri) {
          Dropped("reserved @id value " + id);
          continue;
        }
        if (!IsAbsoluteIri(*iri)) Dropped("relative @id reference " + std::string(*iri));
        result["@id"] = *iri;
      } else if (property == "@type") {
        if (!(value.is_string() ||
              (value.is_array() &&
               std::all_of(value.begin(), value.end(), [](const json& t) {
                 return t.is_string();
               })))) {
          Fail("invalid type value");
        }
        // A single type stays a string: value objects need it so (nodes get an array below).
        json types = json::array();
        for (const auto& t : AsArray(value)) {
          auto iri = ExpandIriView(*type_scoped, t.get_ref<const std::string&>(), true, true,
                                   scratch_);
          if (!iri) {
            Dropped("@type " + t.dump() + " expands to nothing");
            continue;
          }
          if (*iri != "@json" && !IsAbsoluteIri(*iri)) {
            Dropped("relative @type reference " + std::string(*iri));
          }
          types.push_back(*iri);
        }
        json& slot = result["@type"];
        if (slot.is_null()) {
          slot = value.is_string() && types.size() == 1 ? std::move(types[0]) : std::move(types);
        } else {
          slot = AsArray(std::move(slot));
          for (auto& t : types) slot.push_back(std::move(t));
        }
      } else if (property == "@graph") {
        static const std::string kGraph = "@graph";
        result["@graph"] = AsArray(Expand(active, &kGraph, value, false, depth + 1));
      } else if (property == "@included") {
        json included = AsArray(Expand(active, nullptr, value, false, depth + 1));
        for (const auto& node : included) {
          if (!node.is_object() || node.contains("@value") || node.contains("@list")) {
            Fail("invalid @included value");
          }
        }
        AddValue(result, "@included", std::move(included));
      } else if (property == "@value") {
        if (input_type == std::optional<std::string>("@json")) {
          CheckLiteral(value, depth + 1);
          result["@value"] = value;
        } else if (value.is_structured()) {
          Fail("invalid value object value");
        } else {
          result["@value"] = value;
        }
      } else if (property == "@language") {
        if (value.is_null()) continue;
        if (!value.is_string()) Fail("invalid language-tagged string");
        const std::string language = Lowercase(value.get<std::string>());
        if (!IsWellFormedLanguage(language)) Dropped("invalid @language value " + language);
        result["@language"] = language;
      } else if (property == "@direction") {
        if (value != "ltr" && value != "rtl") Fail("invalid base direction");
        result["@direction"] = value;
      } else if (property == "@index") {
        if (!value.is_string()) Fail("invalid @index value");
        result["@index"] = value;
      } else if (property == "@list") {
        if (active_property == nullptr || ExpandsToKeyword(*active, *active_property, "@graph")) {
          Dropped("free-floating @list");
          continue;
        }
        result["@list"] = AsArray(Expand(active, active_property, value, false, depth + 1));
      } else if (property == "@set") {
        json set = Expand(active, active_property, value, false, depth + 1);
        if (!set.is_null()) result["@set"] = std::move(set);
      } else if (property == "@reverse") {
        if (!value.is_object()) Fail("invalid @reverse value");
        static const std::string kReverse = "@reverse";
        json expanded = Expand(active, &kReverse, value, false, depth + 1);
        if (!expanded.is_object()) continue;
        if (auto inner = expanded.find("@reverse"); inner != expanded.end()) {
          for (auto& [p, items] : inner->items()) AddValue(result, p, items);
        }
        for (auto& [p, items] : expanded.items()) {
          if (p == "@reverse") continue;
          for (auto& item : items) {
            if (item.contains("@value") || item.contains("@list")) {
              Fail("invalid reverse property value");
            }
            AddValue(result["@reverse"], p, item);
          }
        }
      } else if (property == "@nest") {
        nests.push_back(key);
      }
      // Other keywords (@context handled above, framing keywords) carry nothing for toRdf.
      continue;
    }

    const TermDefinition* term = key_term;
    const unsigned container = term != nullptr ? term->container : 0;
    json expanded;
    if (term != nullptr && term->type_mapping == std::optional<std::string>("@json")) {
      CheckLiteral(value, depth + 1);
      expanded = json(json::value_t::object);
      expanded.emplace("@value", value);
      expanded.emplace("@type", "@json");
    } else if ((container & kContainerLanguage) && value.is_object()) {
      expanded = ExpandLanguageMap(*active, *term, value);
    } else if ((container & (kContainerIndex | kContainerType | kContainerId)) &&
               value.is_object()) {
      expanded = ExpandIndexMap(active, key, *term, value, depth + 1);
    } else {
      expanded = Expand(active, &key, value, false, depth + 1, term);
    }
    if (expanded.is_null()) continue;
    if ((container & kContainerList) && !(expanded.is_object() && expanded.contains("@list"))) {
      expanded = json{{"@list", AsArray(std::move(expanded))}};
    }
    if ((container & kContainerGraph) && !(container & (kContainerId | kContainerIndex))) {
      json wrapped = json::array();
      for (auto& item : AsArray(std::move(expanded))) {
        json graph = json::object();
        graph["@graph"] = AsArray(std::move(item));
        wrapped.push_back(std::move(graph));
      }
      expanded = std::move(wrapped);
    }
    if (term != nullptr && term->reverse) {
      for (auto& item : AsArray(std::move(expanded))) {
        if (item.contains("@value") || item.contains("@list")) {
          Fail("invalid reverse property value");
        }
        AddValue(result["@reverse"], property, std::move(item));
      }
    } else {
      AddValue(result, property, std::move(expanded));
    }
  }

  for (const auto& nest_key : nests) {
    for (const auto& nested : AsArray(element.at(nest_key))) {
      if (!nested.is_object()) Fail("invalid @nest value");
      for (const auto& [k, ignored] : nested.items()) {
        if (ExpandsToKeyword(*active, k, "@value")) {
          Fail("invalid @nest value");
        }
      }
      ExpandEntries(active, type_scoped, active_property, nested, result, input_type, depth + 1);
    }
  }
}

json Expander::ExpandShared(const ContextPtr& active, const std::string& active_property,
                           SharedNode& shared, std::size_t depth, const TermDefinition* term) {
  const json& node = shared.content->node();
  SharedKey key = MakeSharedKey(active, active_property, *shared.content, depth, options_);
  std::shared_ptr<const SharedEntry> entry = FindShared(key);
  if (!entry || !entry->shareable) {
    const std::size_t before = nodes_;
    json expanded = Expand(active, &active_property, node, false, depth, term);
    if (!entry) entry = StoreShared(std::move(key), expanded, nodes_ - before, options_);
    if (!entry->shareable) return expanded;
  } else {
    // The limits hold as if the node had been expanded here.
    nodes_ += entry->nodes;
    if (nodes_ > options_.max_nodes) Fail("document has more values than the limit");
  }
  shared.ground_nquads = entry->ground_nquads;
  json stub(json::value_t::object);
  stub.emplace("@id", entry->id);
  stub.emplace(std::string(kSharedMarker), true);
  return stub;
}

json Expander::ExpandValue(const ActiveContext& active, const TermDefinition* term,
                           const json& value) {
  const std::optional<std::string>* type = term != nullptr ? &term->type_mapping : nullptr;
  if (type != nullptr && *type && value.is_string()) {
    if (**type == "@id" || **type == "@vocab") {
      auto iri = ExpandIriView(active, value.get_ref<const std::string&>(), **type == "@vocab",
                               true, scratch_);
      if (!iri) {
        Dropped("reserved @id value " + value.dump());
        return nullptr;
      }
      if (!IsAbsoluteIri(*iri)) Dropped("relative @id reference " + std::string(*iri));
      json reference(json::value_t::object);
      reference.emplace("@id", *iri);
      return reference;
    }
  }
  json result(json::value_t::object);
  result.emplace("@value", value);
  if (type != nullptr && *type && **type != "@id" && **type != "@vocab" && **type != "@none") {
    result["@type"] = **type;
  } else if (value.is_string()) {
    std::optional<std::string> language = active.default_language;
    if (term != nullptr && term->language) language = *term->language;
    std::optional<std::string> direction = active.default_direction;
    if (term != nullptr && term->direction) direction = *term->direction;
    if (language) result["@language"] = *language;
    if (direction) result["@direction"] = *direction;
  }
  return result;
}

json Expander::ExpandLanguageMap(const ActiveContext& active, const TermDefinition& term,
                                 const json& value) {
  json result = json::array();
  std::optional<std::string> direction = active.default_direction;
  if (term.direction) direction = *term.direction;
  for (const auto& [language, items] : value.items()) {
    for (const auto& item : AsArray(items)) {
      if (++nodes_ > options_.max_nodes) Fail("document has more values than the limit");
      if (item.is_null()) continue;
      if (!item.is_string()) Fail("invalid language map value");
      json entry = json::object();
      entry["@value"] = item;
      if (Iri(active, language, true, false) != std::optional<std::string>("@none")) {
        const std::string lowered = Lowercase(language);
        if (!IsWellFormedLanguage(lowered)) Dropped("invalid @language value " + lowered);
        entry["@language"] = lowered;
      }
      if (direction) entry["@direction"] = *direction;
      result.push_back(std::move(entry));
    }
  }
  return result;
}

json Expander::ExpandIndexMap(const ContextPtr& active, const std::string& key,
                              const TermDefinition& term, const json& value, std::size_t depth) {
  json result = json::array();
  const unsigned container = term.container;
  const std::string index_key = term.index.value_or("@index");
  for (const auto& [index, items] : value.items()) {
    ContextPtr map_context = active;
    if ((container & (kContainerId | kContainerType)) && active->previous) {
      map_context = active->previous;
    }
    if (container & kContainerType) {
      const TermDefinition* index_term = map_context->Find(index);
      if (index_term != nullptr && index_term->context) {
        map_context = ProcessContext(map_context, *index_term->context, options_, {false, true},
                                     index_term->context);
      }
    }
    const auto expanded_index = Iri(*active, index, true, false);
    const bool none = expanded_index == std::optional<std::string>("@none");
    json expanded = AsArray(Expand(map_context, &key, AsArray(items), true, depth + 1));
    for (auto& item : expanded) {
      if ((container & kContainerGraph) && !IsGraphObject(item)) {
        json graph = json::object();
        graph["@graph"] = AsArray(std::move(item));
        item = std::move(graph);
      }
      if ((container & kContainerIndex) && index_key != "@index" && !none) {
        if (item.contains("@value")) Fail("invalid value object: property-valued index");
        json reexpanded = ExpandValue(*active, active->Find(index_key), index);
        const auto property = Iri(*active, index_key, true, false);
        if (!property || IsKeyword(*property)) Fail("invalid @index mapping " + index_key);
        json values = json::array();
        values.push_back(std::move(reexpanded));
        if (auto existing = item.find(*property); existing != item.end()) {
          for (auto& v : *existing) values.push_back(std::move(v));
        }
        item[*property] = std::move(values);
      } else if ((container & kContainerIndex) && !item.contains("@index") && !none) {
        item["@index"] = index;
      } else if ((container & kContainerId) && !item.contains("@id") && !none) {
        auto id = Iri(*active, index, false, true);
        if (!id) Fail("invalid @id map key " + index);
        item["@id"] = *id;
      } else if ((container & kContainerType) && !none) {
        json types = json::array();
        types.push_back(*expanded_index);
        if (auto existing = item.find("@type"); existing != item.end()) {
          for (auto& t : *existing) types.push_back(std::move(t));
        }
        item["@type"] = std::move(types);
      }
      result.push_back(std::move(item));
    }
  }
  return result;
}

}  // namespace

json Expand(const json& document, const Options& options) {
  return ExpandDocument(document, options, nullptr);
}

json ExpandDocument(const json& document, const Options& options, SharedNode* shared,
                    bool stub) try {
  Expander expander(options, shared, stub);
  json result = expander.Expand(EmptyContext(), nullptr, document, false, 0);
  if (result.is_object() && result.size() == 1 && result.contains("@graph")) {
    result = std::move(result["@graph"]);
  }
  if (result.is_null()) return json::array();
  return AsArray(std::move(result));
} catch (const json::exception& e) {
  // A shape the algorithms did not anticipate must still be a clean refusal, never a crash.
  throw CredentialError(std::string("JSON-LD: malformed input: ") + e.what());
}

}  // namespace cairn::credentials::jsonld
