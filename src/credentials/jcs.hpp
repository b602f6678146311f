#pragma once
// RFC 8785 JSON Canonicalization Scheme (JCS), https://www.rfc-editor.org/rfc/rfc8785
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace cairn::credentials::jcs {

// The canonical UTF-8 text of `value`. Throws CredentialError for NaN or infinite numbers,
// integers whose magnitude exceeds 2^53 (not exactly representable in IEEE 754 binary64), and
// strings or keys that are not valid UTF-8.
std::string Canonicalize(const nlohmann::json& value);

// Appends the canonical text to `out`, so callers can build a larger buffer without copies.
void AppendCanonical(const nlohmann::json& value, std::string& out);

// One member of an object being written, so a caller can canonicalize an object with members
// left out or replaced (a document without its proof) without copying the document.
struct Member {
  std::string_view key;
  const nlohmann::json* value;
};
// Sorts `members` by UTF-16 code units and appends them as one canonical object. Keys must be
// unique.
void AppendCanonicalMembers(std::vector<Member> members, std::string& out);

// ECMAScript Number::toString of a finite double, as RFC 8785 §3.2.2.3 requires.
std::string FormatNumber(double value);

// Orders two UTF-8 strings by their UTF-16 code units (RFC 8785 §3.2.3); true when a < b.
bool Utf16Less(std::string_view a, std::string_view b);

}  // namespace cairn::credentials::jcs
