#include "core/identity/user.hpp"

namespace cairn::core::identity {

std::string_view UserStatusName(UserStatus status) {
  return status == UserStatus::kActive ? "active" : "disabled";
}

std::optional<UserStatus> ParseUserStatus(std::string_view name) {
  if (name == "active") return UserStatus::kActive;
  if (name == "disabled") return UserStatus::kDisabled;
  return std::nullopt;
}

Status User::VerifyEmail(TimePoint now) {
  if (status != UserStatus::kActive) return Error::InvalidState("the account is disabled");
  if (email_verified) return Error::InvalidState("the email address is already verified");
  email_verified = true;
  updated_at = now;
  return Ok();
}

Status User::ChangePassword(std::string new_hash, TimePoint now) {
  if (status != UserStatus::kActive) return Error::InvalidState("the account is disabled");
  password_hash = std::move(new_hash);
  updated_at = now;
  return Ok();
}

std::string_view Trim(std::string_view text) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

std::size_t Utf8Length(std::string_view text) {
  std::size_t n = 0;
  for (unsigned char c : text)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

namespace {

bool IsLocalChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  // RFC 5322 atext minus the characters that make addresses hard to quote in headers and links.
  static constexpr std::string_view kSpecials = "!#$%&'*+-/=?^_`{|}~.";
  return kSpecials.find(c) != std::string_view::npos;
}

bool IsValidDomain(std::string_view domain) {
  if (domain.empty() || domain.size() > 253 || domain.find('.') == std::string_view::npos)
    return false;
  std::size_t start = 0;
  while (start <= domain.size()) {
    std::size_t end = domain.find('.', start);
    if (end == std::string_view::npos) end = domain.size();
    std::string_view label = domain.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return false;
    for (char c : label)
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    start = end + 1;
  }
  return true;
}

}  // namespace

std::optional<std::string> NormalizeEmail(std::string_view email) {
  email = Trim(email);
  if (email.empty() || email.size() > kMaxEmailLength) return std::nullopt;
  std::string out(email);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  const auto at = out.find('@');
  if (at == std::string::npos || at == 0 || at > 64 || out.find('@', at + 1) != std::string::npos)
    return std::nullopt;
  std::string_view local = std::string_view(out).substr(0, at);
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
    return std::nullopt;
  for (char c : local)
    if (!IsLocalChar(c)) return std::nullopt;
  if (!IsValidDomain(std::string_view(out).substr(at + 1))) return std::nullopt;
  return out;
}

std::string CheckDisplayName(std::string_view name) {
  std::string_view trimmed = Trim(name);
  if (trimmed.empty()) return "must not be empty";
  if (trimmed.size() != name.size()) return "must not start or end with whitespace";
  if (Utf8Length(name) > kMaxDisplayNameChars) return "must be at most 100 characters";
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7F) return "must not contain control characters";
  return {};
}

std::string CheckPassword(std::string_view password, std::string_view email) {
  if (Utf8Length(password) < kMinPasswordChars) return "must be at least 10 characters";
  if (password.size() > kMaxPasswordBytes) return "must be at most 512 bytes";
  if (!email.empty()) {
    auto normalized = NormalizeEmail(password);
    if (normalized && *normalized == email) return "must not be the email address";
  }
  return {};
}

}  // namespace cairn::core::identity
