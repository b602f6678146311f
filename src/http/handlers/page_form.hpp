#pragma once
// HTML form bodies for the pages that work without JavaScript: multipart/form-data (RFC 7578)
// and application/x-www-form-urlencoded.
#include <map>
#include <string>
#include <string_view>

#include "core/common/result.hpp"

namespace cairn::http {

struct FormField {
  std::string value;
  std::string filename;      // set for file parts
  std::string content_type;  // of a file part, as the browser sent it
};

inline constexpr std::size_t kMaxFormParts = 16;

// Fields by name (the first of a repeated name wins). kInvalidInput for a malformed body,
// kUnsupportedMedia for another Content-Type.
core::Result<std::map<std::string, FormField>> ParseForm(std::string_view content_type, std::string_view body);

}  // namespace cairn::http
