#pragma once
// Text checks shared by the PNG and SVG bakers (internal to baking; not a public API).
#include <cstddef>
#include <string_view>

#include "credentials/utf8.hpp"

namespace cairn::credentials::baking_text {

using credentials::IsValidUtf8;


// Throws unless `credential` is what may be baked: non-empty UTF-8 within the size limit, and a
// JSON object or a compact JWS. Defined in baking.cpp.
void CheckBakeableCredential(std::string_view credential);

inline bool IsXmlSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

inline std::string_view TrimSpace(std::string_view text) {
  while (!text.empty() && IsXmlSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsXmlSpace(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace cairn::credentials::baking_text
