// Parses arbitrary bytes as JSON and runs JSON-LD toRdf on what parses, in safe and lenient mode
// with small limits: hostile documents and contexts must end in CredentialError, never a crash,
// a hang, a stack overflow or another exception type.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "credentials/error.hpp"
#include "credentials/jsonld.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cairn::credentials;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const nlohmann::json document = nlohmann::json::parse(text, nullptr, false);
  if (document.is_discarded()) return 0;
  jsonld::Options options;
  options.max_depth = 32;
  options.max_nodes = 5000;
  options.max_context_depth = 8;
  for (bool safe : {true, false}) {
    options.safe_mode = safe;
    try {
      const rdf::Dataset dataset = jsonld::ToRdf(document, options);
      // Whatever toRdf emits must be a well-formed dataset: no empty IRIs or predicates.
      for (const auto& quad : dataset) {
        if (quad.predicate.kind != rdf::TermKind::kIri || quad.predicate.value.empty()) {
          __builtin_trap();
        }
      }
    } catch (const CredentialError&) {
    }
  }
  return 0;
}
