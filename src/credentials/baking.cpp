// Format sniffing for Extract, and the checks every baker applies to what it is asked to bake.
#include <nlohmann/json.hpp>

#include "credentials/baking.hpp"
#include "credentials/baking_text.hpp"
#include "credentials/error.hpp"

namespace cairn::credentials {
namespace {

bool IsBase64UrlChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

}  // namespace

bool LooksLikeCompactJws(std::string_view text) {
  int dots = 0;
  std::size_t segment = 0;
  for (char c : text) {
    if (c == '.') {
      // The payload may be empty (detached JWS); the header and signature may not.
      if (segment == 0 && dots != 1) return false;
      ++dots;
      segment = 0;
    } else if (IsBase64UrlChar(c)) {
      ++segment;
    } else {
      return false;
    }
  }
  return dots == 2 && segment > 0;
}

namespace baking_text {

void CheckBakeableCredential(std::string_view credential) {
  if (credential.empty()) throw CredentialError("cannot bake an empty credential");
  if (credential.size() > kMaxBakedCredentialBytes) {
    throw CredentialError("credential is larger than the 1 MiB baking limit");
  }
  if (!IsValidUtf8(credential)) throw CredentialError("credential to bake is not valid UTF-8");
  if (LooksLikeCompactJws(credential)) return;
  const std::string_view trimmed = TrimSpace(credential);
  if (trimmed.empty() || trimmed.front() != '{' || !nlohmann::json::accept(trimmed)) {
    throw CredentialError("credential to bake is neither a JSON object nor a compact JWS");
  }
}

}  // namespace baking_text

ExtractedCredential Extract(std::string_view bytes) {
  if (bytes.size() > kMaxBadgeImageBytes) {
    throw CredentialError("file is larger than the 16 MiB limit");
  }
  if (bytes.starts_with("\x89PNG")) {
    auto credential = ExtractPng(bytes);
    if (!credential) throw CredentialError("PNG image carries no baked credential");
    return {BadgeFormat::kPng, std::move(*credential)};
  }
  std::string_view text = bytes;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  text = baking_text::TrimSpace(text);
  if (text.starts_with("{")) {
    if (text.size() > kMaxBakedCredentialBytes) {
      throw CredentialError("credential is larger than the 1 MiB limit");
    }
    if (!baking_text::IsValidUtf8(text)) throw CredentialError("credential is not valid UTF-8");
    return {BadgeFormat::kJson, std::string(text)};
  }
  if (text.starts_with("<")) {
    auto credential = ExtractSvg(bytes);
    if (!credential) throw CredentialError("SVG image carries no baked credential");
    return {BadgeFormat::kSvg, std::move(*credential)};
  }
  if (text.size() <= kMaxBakedCredentialBytes && LooksLikeCompactJws(text)) {
    return {BadgeFormat::kJws, std::string(text)};
  }
  throw CredentialError("not a PNG, SVG, JSON credential or compact JWS");
}

}  // namespace cairn::credentials
