#include "credentials/eddsa_rdfc.hpp"

#include <map>
#include <mutex>

#include "credentials/error.hpp"
#include "credentials/jsonld.hpp"
#include "credentials/rdfc.hpp"

namespace cairn::credentials::eddsa_rdfc {

namespace {

// Merges two texts of sorted lines (each ending "\n") into one, each line once: RDFC-1.0 sorts
// the canonical lines by code point, which is the byte order of their UTF-8.
std::string MergeSortedLines(std::string_view a, std::string_view b) {
  std::string out;
  out.reserve(a.size() + b.size());
  const auto next = [](std::string_view& text) {
    const std::size_t end = text.find('\n');
    const std::string_view line =
        text.substr(0, end == std::string_view::npos ? end : end + 1);
    text.remove_prefix(line.size());
    return line;
  };
  std::string_view la = a.empty() ? std::string_view() : next(a);
  std::string_view lb = b.empty() ? std::string_view() : next(b);
  while (!la.empty() || !lb.empty()) {
    if (lb.empty() || (!la.empty() && la < lb)) {
      out += la;
      la = a.empty() ? std::string_view() : next(a);
    } else {
      if (la == lb) la = a.empty() ? std::string_view() : next(a);
      out += lb;
      lb = b.empty() ? std::string_view() : next(b);
    }
  }
  return out;
}

}  // namespace

std::string CanonicalDocument(const nlohmann::json& document, const jsonld::SharedNode* shared) {
  if (document.contains("proof")) {
    if (shared != nullptr) throw CredentialError("a shared member needs the unsecured document");
    nlohmann::json unsecured = document;
    unsecured.erase("proof");
    return CanonicalDocument(unsecured);
  }
  if (shared == nullptr) return rdfc::Canonicalize(jsonld::ToRdf(document)).nquads;
  jsonld::SharedNode node{shared->placeholder, shared->content, nullptr};
  std::string rest = rdfc::Canonicalize(jsonld::ToRdf(document, {}, node)).nquads;
  if (!node.ground_nquads) return rest;
  return MergeSortedLines(rest, *node.ground_nquads);
}

std::string CanonicalProofConfig(const nlohmann::json& proof_config,
                                 const nlohmann::json* context) {
  nlohmann::json config = proof_config;
  config.erase("proofValue");
  if (context)
    config["@context"] = *context;
  else
    config.erase("@context");
  // A signer repeats the same few configurations (they differ in `created`, to the second):
  // remember the last ones by their text instead of running JSON-LD on each.
  static std::mutex mutex;
  static std::map<std::string, std::string> recent;
  std::string text = config.dump();
  {
    std::lock_guard lock(mutex);
    if (auto it = recent.find(text); it != recent.end()) return it->second;
  }
  std::string canonical = rdfc::Canonicalize(jsonld::ToRdf(config)).nquads;
  std::lock_guard lock(mutex);
  if (recent.size() >= 64) recent.clear();
  recent.emplace(std::move(text), canonical);
  return canonical;
}

}  // namespace cairn::credentials::eddsa_rdfc
