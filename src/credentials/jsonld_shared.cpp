// SharedContent and the cache behind SharedNode (jsonld.hpp): a node object's quads, converted
// once per content, active context, property and depth, and kept as canonical N-Quads lines.
#include <sodium.h>

#include <cstring>
#include <map>
#include <mutex>
#include <tuple>

#include "credentials/error.hpp"
#include "credentials/jsonld_context.hpp"
#include "credentials/rdfc.hpp"

namespace cairn::credentials::jsonld {

using nlohmann::json;

namespace {

// Enough for every micro-credential version an issuing run touches; past it the cache starts over.
constexpr std::size_t kMaxEntries = 256;

struct Cache {
  std::mutex mutex;
  std::map<SharedKey, std::shared_ptr<const SharedEntry>> entries;
};

Cache& TheCache() {
  static Cache cache;
  return cache;
}

template <typename T>
void AppendRaw(std::string& out, T value) {
  char bytes[sizeof value];
  std::memcpy(bytes, &value, sizeof value);
  out.append(bytes, sizeof value);
}

// An unambiguous serialization: every value is tagged with its type, strings and containers
// with their length, so two different JSON values never produce the same bytes.
void AppendContent(std::string& out, const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      out += 'n';
      break;
    case json::value_t::boolean:
      out += value.get<bool>() ? 't' : 'f';
      break;
    case json::value_t::number_integer:
      out += 'i';
      AppendRaw(out, value.get<std::int64_t>());
      break;
    case json::value_t::number_unsigned:
      out += 'u';
      AppendRaw(out, value.get<std::uint64_t>());
      break;
    case json::value_t::number_float:
      out += 'd';
      AppendRaw(out, value.get<double>());
      break;
    case json::value_t::string: {
      const auto& text = value.get_ref<const std::string&>();
      out += 's';
      AppendRaw(out, text.size());
      out += text;
      break;
    }
    case json::value_t::array:
      out += '[';
      AppendRaw(out, value.size());
      for (const auto& item : value) AppendContent(out, item);
      break;
    case json::value_t::object:
      out += '{';
      AppendRaw(out, value.size());
      for (const auto& [key, item] : value.items()) {
        AppendRaw(out, key.size());
        out += key;
        AppendContent(out, item);
      }
      break;
    default:  // binary and discarded values do not come from parsing JSON text
      out += '?';
      AppendRaw(out, reinterpret_cast<std::uintptr_t>(&value));
      break;
  }
}

}  // namespace

bool SharedKey::operator<(const SharedKey& other) const {
  return std::tie(content, context, property, depth, safe_mode) <
         std::tie(other.content, other.context, other.property, other.depth, other.safe_mode);
}

SharedContent::SharedContent(std::shared_ptr<const json> node)
    : node_(std::move(node)), text_(node_->dump()) {
  std::string bytes;
  AppendContent(bytes, *node_);
  crypto_generichash(hash_.data(), hash_.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size(), nullptr, 0);
}

const json& SharedContent::Placeholder() {
  static const json placeholder = std::string("\0cairn-shared-node\0", 19);
  return placeholder;
}

std::string SharedContent::Dump(const json& document) const {
  static const std::string placeholder_text = Placeholder().dump();
  std::string text = document.dump();
  const std::size_t at = text.find(placeholder_text);
  if (at == std::string::npos) throw CredentialError("the document holds no shared node placeholder");
  text.replace(at, placeholder_text.size(), text_);
  return text;
}

SharedKey MakeSharedKey(const ContextPtr& context, const std::string& property,
                        const SharedContent& node, std::size_t depth, const Options& options) {
  SharedKey key;
  key.content = node.hash();
  // The context is held by the key, so its address cannot be reused by another while cached.
  key.context = context;
  key.property = property;
  key.depth = depth;
  key.safe_mode = options.safe_mode;
  return key;
}

std::shared_ptr<const SharedEntry> FindShared(const SharedKey& key) {
  Cache& cache = TheCache();
  std::lock_guard lock(cache.mutex);
  const auto it = cache.entries.find(key);
  return it == cache.entries.end() ? nullptr : it->second;
}

std::shared_ptr<const SharedEntry> StoreShared(SharedKey key, const json& expanded,
                                               std::size_t nodes, const Options& options) {
  auto entry = std::make_shared<SharedEntry>();
  entry->nodes = nodes;
  const auto id = expanded.is_object() ? expanded.find("@id") : expanded.end();
  if (id != expanded.end() && id->is_string() && !expanded.contains("@value") &&
      !expanded.contains("@list") && IsAbsoluteIri(id->get_ref<const std::string&>()) &&
      id->get_ref<const std::string&>().rfind("_:", 0) != 0) {
    rdfc::Canonical canonical = rdfc::Canonicalize(ExpandedToRdf(expanded, options));
    if (canonical.issued.empty()) {
      entry->shareable = true;
      entry->id = id->get<std::string>();
      entry->ground_nquads = std::make_shared<const std::string>(std::move(canonical.nquads));
    }
  }
  Cache& cache = TheCache();
  std::lock_guard lock(cache.mutex);
  if (cache.entries.size() >= kMaxEntries) cache.entries.clear();
  return cache.entries.insert_or_assign(std::move(key), std::move(entry)).first->second;
}

void ClearSharedCache() {
  Cache& cache = TheCache();
  std::lock_guard lock(cache.mutex);
  cache.entries.clear();
}

}  // namespace cairn::credentials::jsonld
