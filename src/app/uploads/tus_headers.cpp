#include "app/uploads/tus_headers.hpp"

#include <array>
#include <limits>

namespace cairn::app::uploads {

namespace {

constexpr std::size_t kMaxMetadataBytes = 8 * 1024;
constexpr std::size_t kMaxMetadataPairs = 64;
constexpr std::size_t kMaxFilenameBytes = 200;

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

std::optional<std::string> DecodeBase64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    int v[4];
    int padding = 0;
    for (int j = 0; j < 4; ++j) {
      char c = text[i + j];
      if (c == '=') {
        // Padding only at the very end, only in the last two places.
        if (i + 4 != text.size() || j < 2) return std::nullopt;
        ++padding;
        v[j] = 0;
      } else {
        if (padding > 0) return std::nullopt;
        v[j] = Base64Value(c);
        if (v[j] < 0) return std::nullopt;
      }
    }
    std::uint32_t triple =
        (static_cast<std::uint32_t>(v[0]) << 18) | (static_cast<std::uint32_t>(v[1]) << 12) |
        (static_cast<std::uint32_t>(v[2]) << 6) | static_cast<std::uint32_t>(v[3]);
    out += static_cast<char>((triple >> 16) & 0xFF);
    if (padding < 2) out += static_cast<char>((triple >> 8) & 0xFF);
    if (padding < 1) out += static_cast<char>(triple & 0xFF);
  }
  return out;
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Length of the valid UTF-8 sequence at s[i], or 0 when it is not one (overlongs, surrogates and
// code points past U+10FFFF are invalid).
std::size_t Utf8Length(std::string_view s, std::size_t i) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  if (c < 0x80) return 1;
  std::size_t n;
  std::uint32_t cp;
  if ((c & 0xE0) == 0xC0) {
    n = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  static constexpr std::array<std::uint32_t, 5> kMin = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

}  // namespace

std::optional<std::int64_t> ParseTusInteger(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    return std::nullopt;
  return static_cast<std::int64_t>(value);
}

std::optional<std::map<std::string, std::string>> ParseUploadMetadata(std::string_view header) {
  if (header.size() > kMaxMetadataBytes) return std::nullopt;
  std::map<std::string, std::string> out;
  if (TrimSpaces(header).empty()) return out;
  while (true) {
    auto comma = header.find(',');
    std::string_view pair = TrimSpaces(header.substr(0, comma));
    auto space = pair.find(' ');
    std::string_view key = pair.substr(0, space);
    std::string_view value =
        space == std::string_view::npos ? std::string_view() : TrimSpaces(pair.substr(space + 1));
    if (key.empty() || value.find(' ') != std::string_view::npos) return std::nullopt;
    for (char c : key) {
      auto u = static_cast<unsigned char>(c);
      if (u <= 0x20 || u >= 0x7F) return std::nullopt;
    }
    auto decoded = DecodeBase64(value);
    if (!decoded) return std::nullopt;
    if (!out.emplace(std::string(key), std::move(*decoded)).second) return std::nullopt;
    if (out.size() > kMaxMetadataPairs) return std::nullopt;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return out;
}

std::string SanitizeFilename(std::string_view name) {
  auto slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string clean;
  for (std::size_t i = 0; i < name.size();) {
    std::size_t n = Utf8Length(name, i);
    if (n == 0) {
      ++i;
      continue;
    }
    auto c = static_cast<unsigned char>(name[i]);
    bool control = n == 1 && (c < 0x20 || c == 0x7F);
    // C1 controls (U+0080..U+009F) encode as C2 80..C2 9F.
    bool c1 = n == 2 && c == 0xC2 && static_cast<unsigned char>(name[i + 1]) < 0xA0;
    if (!control && !c1) {
      if (clean.size() + n > kMaxFilenameBytes) break;
      clean.append(name.substr(i, n));
    }
    i += n;
  }
  std::string_view view = clean;
  while (!view.empty() && (view.front() == ' ' || view.front() == '.')) view.remove_prefix(1);
  while (!view.empty() && (view.back() == ' ' || view.back() == '.')) view.remove_suffix(1);
  if (view.empty()) return "file";
  return std::string(view);
}

std::string MediaTypeBase(std::string_view content_type) {
  std::string_view base = TrimSpaces(content_type.substr(0, content_type.find(';')));
  std::string out(base);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace cairn::app::uploads
