#pragma once
// Verification methods to keys, and to the identifier that controls them
// (https://www.w3.org/TR/cid-1.0/#retrieve-verification-method). did:key resolves locally;
// did:web and http(s) controller documents come through a DocumentFetcher.
#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "credentials/ed25519.hpp"
#include "credentials/fetcher.hpp"

namespace cairn::credentials {

// did:web:example.org:issuers:1 → https://example.org/issuers/1/did.json, did:web:example.org →
// https://example.org/.well-known/did.json, "%3A" in the host part is a port separator. nullopt
// for anything that is not a well-formed did:web DID (fragments and queries are not part of it).
std::optional<std::string> DidWebDocumentUrl(std::string_view did);

struct ResolvedMethod {
  ed25519::PublicKey key{};
  std::string controller;  // the id of the controller document that lists the method
};

// Resolves verification methods, remembering each controller document it fetched so a proof set
// or a status list signed by the same issuer costs one request. Not thread-safe: one per
// verification.
class MethodResolver {
 public:
  explicit MethodResolver(DocumentFetcher* fetcher) : fetcher_(fetcher) {}

  // The key and controller of `method_id`, which `relationship` (e.g. "assertionMethod") of its
  // controller document must list. Throws CredentialError saying why it cannot be resolved.
  ResolvedMethod Resolve(std::string_view method_id, std::string_view relationship);

 private:
  const nlohmann::json& ControllerDocument(const std::string& url, const std::string& expected_id);

  DocumentFetcher* fetcher_;
  std::map<std::string, nlohmann::json> documents_;
};

// Parses JSON text that came from outside: refuses nesting deeper than `max_depth` before the
// parser sees it, so no later recursive walk can exhaust the stack. Throws CredentialError.
nlohmann::json ParseUntrustedJson(std::string_view text, std::size_t max_depth = 64);

}  // namespace cairn::credentials
