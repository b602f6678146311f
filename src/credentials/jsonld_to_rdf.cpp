// Node Map Generation (JSON-LD 1.1 API §7.2) and Deserialize JSON-LD to RDF (§8.1). Literal
// forms follow jsonld.js so canonical N-Quads, and so signatures, agree with it. The node map
// points into the expanded document instead of copying it: this is the hot path of verifying an
// eddsa-rdfc-2022 proof.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "credentials/error.hpp"
#include "credentials/jcs.hpp"
#include "credentials/jsonld.hpp"
#include "credentials/jsonld_context.hpp"

namespace cairn::credentials::jsonld {

using nlohmann::json;

namespace {

constexpr std::string_view kRdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
constexpr std::string_view kRdfFirst = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first";
constexpr std::string_view kRdfRest = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest";
constexpr std::string_view kRdfNil = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil";
constexpr std::string_view kRdfJson = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON";
constexpr std::string_view kRdfLangString =
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";
constexpr std::string_view kXsdString = "http://www.w3.org/2001/XMLSchema#string";
constexpr std::string_view kXsdBoolean = "http://www.w3.org/2001/XMLSchema#boolean";
constexpr std::string_view kXsdInteger = "http://www.w3.org/2001/XMLSchema#integer";
constexpr std::string_view kXsdDouble = "http://www.w3.org/2001/XMLSchema#double";

[[noreturn]] void Fail(const std::string& message) { throw CredentialError("JSON-LD: " + message); }

bool StartsWithBlank(std::string_view id) { return id.size() >= 2 && id[0] == '_' && id[1] == ':'; }

// An object of a property: a value object, a node reference, or a list (index into lists_).
struct Item {
  enum class Kind { kValue, kReference, kList };
  Kind kind = Kind::kValue;
  const json* value = nullptr;
  std::string_view id;
  std::size_t list = 0;
};

struct Node {
  std::vector<std::string_view> types;
  // A deque: Generate holds a reference to one property's items while it adds others.
  std::deque<std::pair<std::string_view, std::vector<Item>>> properties;
  bool has_index = false;
  const json* index = nullptr;

  std::vector<Item>& Property(std::string_view name) {
    for (auto& [key, items] : properties) {
      if (key == name) return items;
    }
    return properties.emplace_back(name, std::vector<Item>()).second;
  }
};

using Graph = std::unordered_map<std::string_view, Node>;

void AddUnique(std::vector<Item>& items, const Item& item) {
  for (const auto& existing : items) {
    if (existing.kind != item.kind) continue;
    if (item.kind == Item::Kind::kReference && existing.id == item.id) return;
    if (item.kind == Item::Kind::kValue && *existing.value == *item.value) return;
  }
  items.push_back(item);
}

// Where Generate puts the element it is given: the objects of one subject's property (kept
// free of duplicates), the items of a list (kept in order), or, for a reverse property, the
// subject that the element's node points back to.
struct Target {
  std::vector<Item>* items = nullptr;
  bool list = false;
  std::string_view reverse_subject;
  std::string_view reverse_property;

  void Add(const Item& item) const {
    if (items == nullptr) return;
    if (list || item.kind == Item::Kind::kList) {
      items->push_back(item);
    } else {
      AddUnique(*items, item);
    }
  }
};

class NodeMapper {
 public:
  explicit NodeMapper(const Options& options) : options_(options) { graphs_["@default"]; }

  void Generate(const json& element, std::string_view graph_name, const Target& target,
                std::size_t depth);

  const std::map<std::string_view, Graph>& Graphs() const { return graphs_; }
  const std::vector<Item>& List(std::size_t index) const { return lists_[index]; }
  std::size_t ItemCount() const { return items_; }
  std::string_view NewBlankNode() {
    return labels_.emplace_back("_:b" + std::to_string(counter_++));
  }

 private:
  std::string_view Relabel(std::string_view id) {
    auto it = issued_.find(id);
    if (it != issued_.end()) return it->second;
    std::string_view label = NewBlankNode();
    issued_.emplace(id, label);
    return label;
  }
  std::string_view Id(const std::string& id) { return StartsWithBlank(id) ? Relabel(id) : id; }

  const Options& options_;
  std::map<std::string_view, Graph> graphs_;
  std::deque<std::string> labels_;  // a deque: views into it stay valid as it grows
  std::unordered_map<std::string_view, std::string_view> issued_;
  std::deque<std::vector<Item>> lists_;
  std::size_t counter_ = 0;
  std::size_t items_ = 0;
};

void NodeMapper::Generate(const json& element, std::string_view graph_name,
                          const Target& target, std::size_t depth) {
  // Expansion bounds the input; the expanded form at most doubles its depth with wrappers.
  if (depth > 2 * options_.max_depth + 4) Fail("expanded document nests too deeply");
  if (element.is_array()) {
    for (const auto& item : element) Generate(item, graph_name, target, depth + 1);
    return;
  }
  if (!element.is_object()) return;
  ++items_;

  if (element.contains("@value")) {
    target.Add(Item{Item::Kind::kValue, &element, {}, 0});
    return;
  }
  if (auto items = element.find("@list"); items != element.end()) {
    const std::size_t index = lists_.size();
    Generate(*items, graph_name, Target{&lists_.emplace_back(), true, {}, {}}, depth + 1);
    target.Add(Item{Item::Kind::kList, nullptr, {}, index});
    return;
  }

  std::string_view id;
  if (auto it = element.find("@id"); it != element.end() && it->is_string()) {
    id = Id(it->get_ref<const std::string&>());
  } else {
    id = NewBlankNode();
  }
  Graph& graph = graphs_[graph_name];
  Node& node = graph[id];  // unordered_map keeps element references stable across inserts
  if (!target.reverse_subject.empty()) {
    AddUnique(node.Property(target.reverse_property),
              Item{Item::Kind::kReference, nullptr, target.reverse_subject, 0});
  } else {
    target.Add(Item{Item::Kind::kReference, nullptr, id, 0});
  }

  for (const auto& [key, value] : element.items()) {
    if (key == "@id" || key == "@context") continue;
    if (key == kSharedMarker) {
      // Its quads were converted alone, as quads of the default graph.
      if (graph_name != "@default") throw SharedNodeNotInDefaultGraph{};
      continue;
    }
    if (key == "@type") {
      for (const auto& type : value) {
        if (!type.is_string()) continue;
        std::string_view t = Id(type.get_ref<const std::string&>());
        if (std::find(node.types.begin(), node.types.end(), t) == node.types.end()) {
          node.types.push_back(t);
        }
      }
    } else if (key == "@index") {
      if (node.has_index && *node.index != value) Fail("conflicting indexes");
      node.has_index = true;
      node.index = &value;
    } else if (key == "@reverse") {
      for (const auto& [reverse_property, values] : value.items()) {
        Generate(values, graph_name, Target{nullptr, false, id, reverse_property}, depth + 1);
      }
    } else if (key == "@graph") {
      graphs_[id];
      Generate(value, id, Target{}, depth + 1);
    } else if (key == "@included") {
      Generate(value, graph_name, Target{}, depth + 1);
    } else {
      std::string_view name = StartsWithBlank(key) ? Relabel(key) : std::string_view(key);
      Generate(value, graph_name, Target{&node.Property(name), false, {}, {}}, depth + 1);
    }
  }
}

// jsonld.js decides "double" by whether JavaScript's String(v) has a "." (or |v| >= 1e21); an
// integral value, or one printed in exponent form with a single digit, is written as an integer.
bool IsJsDouble(double value) {
  if (std::fabs(value) >= 1e21) return true;
  if (value == std::floor(value)) return false;
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  const std::string text(buffer, end);
  const auto e = text.find('e');
  std::size_t digits = 0;
  for (std::size_t i = 0; i < e; ++i) digits += (text[i] >= '0' && text[i] <= '9');
  const int n = std::atoi(text.c_str() + e + 1) + 1;
  if (n > 0 && n <= 21) return static_cast<int>(digits) > n;
  if (n > -6 && n <= 0) return true;
  return digits > 1;
}

// JavaScript's value.toExponential(15) with trailing zeros trimmed: "1.1E0", "-2.5E-7".
std::string FormatDouble(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.15e", value);
  std::string text(buffer);
  const auto e = text.find('e');
  std::string mantissa = text.substr(0, e);
  while (mantissa.size() > 1 && mantissa.back() == '0' &&
         mantissa[mantissa.size() - 2] != '.') {
    mantissa.pop_back();
  }
  const int exponent = std::atoi(text.c_str() + e + 1);
  return mantissa + "E" + std::to_string(exponent);
}

std::string FormatInteger(double value) {
  if (value == 0) return "0";
  char buffer[400];
  std::snprintf(buffer, sizeof buffer, "%.0f", value);
  return buffer;
}

class RdfWriter {
 public:
  RdfWriter(const Options& options, NodeMapper& mapper, rdf::Dataset& dataset)
      : options_(options), mapper_(mapper), dataset_(dataset) {}

  void WriteGraph(const Graph& graph, const rdf::Term& graph_term);

 private:
  std::optional<rdf::Term> Object(const Item& item, const rdf::Term& graph_term);
  rdf::Term Literal(const json& item);
  void Dropped(const std::string& what) {
    if (options_.safe_mode) Fail("safe mode: " + what);
  }
  void Add(const rdf::Term& s, std::string_view p, rdf::Term o, const rdf::Term& g) {
    dataset_.push_back(rdf::Quad{s, Iri(p), std::move(o), g});
  }
  static rdf::Term Iri(std::string_view value) {
    return rdf::Term{rdf::TermKind::kIri, std::string(value), {}, {}};
  }
  static rdf::Term NodeTerm(std::string_view id) {
    if (StartsWithBlank(id)) {
      return rdf::Term{rdf::TermKind::kBlankNode, std::string(id.substr(2)), {}, {}};
    }
    return Iri(id);
  }

  const Options& options_;
  NodeMapper& mapper_;
  rdf::Dataset& dataset_;
};

void RdfWriter::WriteGraph(const Graph& graph, const rdf::Term& graph_term) {
  for (const auto& [id, node] : graph) {
    // jsonld.js checks the subject per triple, so a node that yields none is never refused.
    const bool has_triples =
        !node.types.empty() || std::any_of(node.properties.begin(), node.properties.end(),
                                           [](const auto& p) { return !p.second.empty(); });
    if (!has_triples) continue;
    if (!IsAbsoluteIri(id)) {
      Dropped("relative subject reference " + std::string(id));
      continue;
    }
    const rdf::Term subject = NodeTerm(id);
    for (std::string_view type : node.types) {
      if (!IsAbsoluteIri(type)) {
        Dropped("relative @type reference " + std::string(type));
        continue;
      }
      Add(subject, kRdfType, NodeTerm(type), graph_term);
    }
    for (const auto& [property, items] : node.properties) {
      if (items.empty()) continue;
      if (!IsAbsoluteIri(property)) {
        Dropped("relative predicate reference " + std::string(property));
        continue;
      }
      if (StartsWithBlank(property)) {
        Dropped("blank node predicate");
        continue;
      }
      for (const auto& item : items) {
        if (auto object = Object(item, graph_term)) {
          Add(subject, property, std::move(*object), graph_term);
        }
      }
    }
  }
}

std::optional<rdf::Term> RdfWriter::Object(const Item& item, const rdf::Term& graph_term) {
  switch (item.kind) {
    case Item::Kind::kValue:
      return Literal(*item.value);
    case Item::Kind::kReference:
      if (!IsAbsoluteIri(item.id)) {
        Dropped("relative object reference " + std::string(item.id));
        return std::nullopt;
      }
      return NodeTerm(item.id);
    case Item::Kind::kList: {
      const std::vector<Item>& items = mapper_.List(item.list);
      if (items.empty()) return Iri(kRdfNil);
      const rdf::Term head = NodeTerm(mapper_.NewBlankNode());
      rdf::Term subject = head;
      for (std::size_t i = 0; i < items.size(); ++i) {
        std::optional<rdf::Term> object = Object(items[i], graph_term);
        rdf::Term rest =
            i + 1 < items.size() ? NodeTerm(mapper_.NewBlankNode()) : Iri(kRdfNil);
        if (object) Add(subject, kRdfFirst, std::move(*object), graph_term);
        Add(subject, kRdfRest, rest, graph_term);
        subject = std::move(rest);
      }
      return head;
    }
  }
  return std::nullopt;
}

rdf::Term RdfWriter::Literal(const json& item) {
  const json& value = item.at("@value");
  rdf::Term literal{rdf::TermKind::kLiteral, {}, {}, {}};
  std::string_view datatype;
  if (auto type = item.find("@type"); type != item.end()) {
    datatype = type->get_ref<const std::string&>();
  }
  if (datatype == "@json") {
    literal.value = jcs::Canonicalize(value);
    literal.datatype = kRdfJson;
    return literal;
  }
  auto type_or = [&datatype](std::string_view fallback) {
    return datatype.empty() ? fallback : datatype;
  };
  if (value.is_boolean()) {
    literal.value = value.get<bool>() ? "true" : "false";
    literal.datatype = type_or(kXsdBoolean);
  } else if (value.is_number() && (IsJsDouble(value.get<double>()) || datatype == kXsdDouble)) {
    literal.value = FormatDouble(value.get<double>());
    literal.datatype = type_or(kXsdDouble);
  } else if (value.is_number()) {
    literal.value = FormatInteger(value.get<double>());
    literal.datatype = type_or(kXsdInteger);
  } else if (value.is_string() && datatype == kXsdDouble) {
    // jsonld.js parses a string typed xsd:double (parseFloat) and prints it in canonical form.
    const std::string& text = value.get_ref<const std::string&>();
    char* end = nullptr;
    const double parsed = std::strtod(text.c_str(), &end);
    literal.value = end == text.c_str() ? "NaN" : FormatDouble(parsed);
    literal.datatype = datatype;
  } else {
    if (item.contains("@direction")) Dropped("@direction is not supported in RDF output");
    literal.value = value.get<std::string>();
    if (auto language = item.find("@language"); language != item.end()) {
      literal.language = language->get<std::string>();
      literal.datatype = type_or(kRdfLangString);
    } else {
      literal.datatype = type_or(kXsdString);
    }
  }
  return literal;
}

}  // namespace

rdf::Dataset ExpandedToRdf(const json& expanded, const Options& options) {
  NodeMapper mapper(options);
  mapper.Generate(expanded, "@default", Target{}, 0);
  rdf::Dataset dataset;
  dataset.reserve(mapper.ItemCount() + 8);
  RdfWriter writer(options, mapper, dataset);
  for (const auto& [graph_name, graph] : mapper.Graphs()) {
    if (graph_name == "@default") {
      writer.WriteGraph(graph, rdf::Term{});
    } else if (IsAbsoluteIri(graph_name)) {
      writer.WriteGraph(graph, rdf::Term{StartsWithBlank(graph_name) ? rdf::TermKind::kBlankNode
                                                                     : rdf::TermKind::kIri,
                                         std::string(StartsWithBlank(graph_name)
                                                         ? graph_name.substr(2)
                                                         : graph_name),
                                         {}, {}});
    } else if (options.safe_mode) {
      Fail("safe mode: relative graph reference " + std::string(graph_name));
    }
  }
  return dataset;
}

rdf::Dataset ToRdf(const json& document, const Options& options) try {
  return ExpandedToRdf(Expand(document, options), options);
} catch (const json::exception& e) {
  // A shape the algorithms did not anticipate must still be a clean refusal, never a crash.
  throw CredentialError(std::string("JSON-LD: malformed input: ") + e.what());
}

rdf::Dataset ToRdf(const json& document, const Options& options, SharedNode& shared) try {
  shared.ground_nquads.reset();
  try {
    return ExpandedToRdf(ExpandDocument(document, options, &shared), options);
  } catch (const SharedNodeNotInDefaultGraph&) {
    shared.ground_nquads.reset();
    return ExpandedToRdf(ExpandDocument(document, options, &shared, /*stub=*/false), options);
  }
} catch (const json::exception& e) {
  throw CredentialError(std::string("JSON-LD: malformed input: ") + e.what());
}

}  // namespace cairn::credentials::jsonld
