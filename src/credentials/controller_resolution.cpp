#include "credentials/controller_resolution.hpp"

#include <cctype>
#include <vector>

#include "credentials/error.hpp"
#include "credentials/multikey.hpp"

namespace cairn::credentials {
namespace {

using nlohmann::json;

bool IsHostChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
}

// A path segment of did:web: unreserved characters and percent-encoding only.
bool IsSegmentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' ||
         c == '~' || c == '%';
}

std::string WithoutFragment(std::string_view url) {
  return std::string(url.substr(0, url.find('#')));
}

}  // namespace

std::optional<std::string> DidWebDocumentUrl(std::string_view did) {
  constexpr std::string_view kPrefix = "did:web:";
  if (did.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  std::string_view rest = did.substr(kPrefix.size());
  if (rest.empty()) return std::nullopt;
  std::vector<std::string_view> parts;
  while (true) {
    const auto colon = rest.find(':');
    parts.push_back(rest.substr(0, colon));
    if (colon == std::string_view::npos) break;
    rest = rest.substr(colon + 1);
  }
  std::string host(parts[0]);
  if (const auto port = host.find("%3A"); port != std::string::npos) {
    const std::string digits = host.substr(port + 3);
    if (digits.empty() || digits.size() > 5) return std::nullopt;
    for (char c : digits) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    }
    host = host.substr(0, port) + ":" + digits;
  }
  const std::string name = host.substr(0, host.find(':'));
  if (name.empty() || name.front() == '.' || name.front() == '-') return std::nullopt;
  for (char c : name) {
    if (!IsHostChar(c)) return std::nullopt;
  }
  std::string url = "https://" + host;
  if (parts.size() == 1) return url + "/.well-known/did.json";
  for (std::size_t i = 1; i < parts.size(); ++i) {
    if (parts[i].empty() || parts[i] == "." || parts[i] == "..") return std::nullopt;
    for (char c : parts[i]) {
      if (!IsSegmentChar(c)) return std::nullopt;
    }
    url += "/" + std::string(parts[i]);
  }
  return url + "/did.json";
}

nlohmann::json ParseUntrustedJson(std::string_view text, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth) {
        throw CredentialError("the JSON is nested more than " + std::to_string(max_depth) +
                              " levels deep");
      }
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  try {
    return json::parse(text);
  } catch (const json::exception& e) {
    throw CredentialError(std::string("the document is not valid JSON: ") + e.what());
  }
}

const json& MethodResolver::ControllerDocument(const std::string& url,
                                               const std::string& expected_id) {
  if (const auto it = documents_.find(url); it != documents_.end()) return it->second;
  if (!fetcher_) throw CredentialError("no fetcher is configured to retrieve " + url);
  const FetchResult fetched = fetcher_->Fetch(url);
  if (!fetched.ok()) throw CredentialError("could not fetch " + url + ": " + fetched.error);
  if (fetched.document->status < 200 || fetched.document->status >= 300) {
    throw CredentialError("fetching " + url + " returned HTTP " +
                          std::to_string(fetched.document->status));
  }
  json document = ParseUntrustedJson(fetched.document->body);
  if (!document.is_object())
    throw CredentialError("the controller document at " + url + " is not an object");
  // The document must describe the identifier it was retrieved for; otherwise any host could
  // claim keys for another controller.
  const auto id = document.find("id");
  if (id == document.end() || !id->is_string() || id->get<std::string>() != expected_id) {
    throw CredentialError("the controller document at " + url + " has id " +
                          (id != document.end() ? id->dump() : std::string("(none)")) +
                          ", expected \"" + expected_id + "\"");
  }
  return documents_.emplace(url, std::move(document)).first->second;
}

ResolvedMethod MethodResolver::Resolve(std::string_view method_id, std::string_view relationship) {
  const std::string method(method_id);
  if (method.rfind("did:key:", 0) == 0) {
    return {multikey::ResolveDidKey(method), WithoutFragment(method)};
  }
  std::string controller = WithoutFragment(method);
  std::string url;
  if (method.rfind("did:web:", 0) == 0) {
    const auto document_url = DidWebDocumentUrl(controller);
    if (!document_url) throw CredentialError("malformed did:web identifier " + controller);
    url = *document_url;
  } else if (method.rfind("did:", 0) == 0) {
    const auto end = method.find(':', 4);
    throw CredentialError("DID method \"" +
                          method.substr(4, end == std::string::npos ? std::string::npos : end - 4) +
                          "\" is not supported (only did:key and did:web)");
  } else if (method.rfind("https://", 0) == 0 || method.rfind("http://", 0) == 0) {
    url = controller;
  } else {
    throw CredentialError("verification method \"" + method +
                          "\" is neither a DID URL nor an http(s) URL");
  }
  const json& document = ControllerDocument(url, controller);
  const auto key = multikey::KeyFromControllerDocument(document, method, relationship);
  if (!key) {
    throw CredentialError("the controller document of " + controller + " does not list " + method +
                          " under " + std::string(relationship));
  }
  // A method whose own "controller" names someone else is not controlled by this document.
  if (const auto methods = document.find("verificationMethod");
      methods != document.end() && methods->is_array()) {
    for (const auto& entry : *methods) {
      if (entry.is_object() && entry.contains("id") && entry["id"] == json(method) &&
          entry.contains("controller") && entry["controller"] != json(controller)) {
        throw CredentialError("verification method " + method + " names controller " +
                              entry["controller"].dump() + ", not " + controller);
      }
    }
  }
  return {*key, controller};
}

}  // namespace cairn::credentials
