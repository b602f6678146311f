#include "app/pages/page_views.hpp"

#include <string>

namespace cairn::app::pages {

std::string_view ToString(LiveStatus status) {
  switch (status) {
    case LiveStatus::kValid: return "valid";
    case LiveStatus::kRevoked: return "revoked";
    case LiveStatus::kExpired: return "expired";
    case LiveStatus::kNotYetValid: return "not-yet-valid";
    case LiveStatus::kInvalid: return "invalid";
  }
  return "invalid";
}

std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                            c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0x0F];
    }
  }
  return out;
}

std::string LinkedInAddToProfileUrl(const CredentialPage& page) {
  std::string url = "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME";
  url += "&name=" + UrlEncode(page.achievement_name);
  url += "&organizationName=" + UrlEncode(page.issuer_name);
  if (page.issued_year > 0) url += "&issueYear=" + std::to_string(page.issued_year);
  if (page.issued_month > 0) url += "&issueMonth=" + std::to_string(page.issued_month);
  url += "&certUrl=" + UrlEncode(page.page_url);
  url += "&certId=" + UrlEncode(page.id);
  return url;
}

}  // namespace cairn::app::pages
