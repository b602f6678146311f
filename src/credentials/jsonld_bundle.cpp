#include "credentials/jsonld_bundle.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "credentials/jsonld.hpp"

namespace cairn::credentials::jsonld {
namespace {

// Each context is parsed on first use only: most processes need three or four of them.
struct Bundle {
  struct Entry {
    const char* text;
    std::once_flag parsed;
    nlohmann::json document;
  };
  std::unordered_map<std::string, std::unique_ptr<Entry>> entries;

  Bundle() {
    for (std::size_t i = 0; i < kEmbeddedContextCount; ++i) {
      auto entry = std::make_unique<Entry>();
      entry->text = kEmbeddedContexts[i].text;
      entries.emplace(kEmbeddedContexts[i].url, std::move(entry));
    }
  }
};

const Bundle& TheBundle() {
  static const Bundle bundle;
  return bundle;
}

}  // namespace

const nlohmann::json* BundledContext(const std::string& url) {
  const auto& entries = TheBundle().entries;
  auto it = entries.find(url);
  if (it == entries.end()) return nullptr;
  Bundle::Entry& entry = *it->second;
  // The bundle is compiled in and checked by the tests, so a parse failure is a build defect.
  std::call_once(entry.parsed, [&entry] { entry.document = nlohmann::json::parse(entry.text); });
  return &entry.document;
}

}  // namespace cairn::credentials::jsonld
