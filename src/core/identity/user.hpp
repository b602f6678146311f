#pragma once
// Accounts and the rules for what a user may type: email, display name, password.
#include <optional>
#include <string>
#include <string_view>

#include "core/common/clock.hpp"
#include "core/common/result.hpp"

namespace cairn::core::identity {

enum class UserStatus { kActive, kDisabled };

std::string_view UserStatusName(UserStatus status);
std::optional<UserStatus> ParseUserStatus(std::string_view name);

struct User {
  std::string id;  // "usr_…"
  std::string email;  // normalized (see NormalizeEmail)
  std::string display_name;
  bool email_verified = false;
  bool platform_admin = false;
  std::string password_hash;  // PHC string from PasswordHasher; never leaves the server
  UserStatus status = UserStatus::kActive;
  TimePoint created_at;
  TimePoint updated_at;

  // Guard clauses so a second click on an old link or a disabled account is a clear error.
  Status VerifyEmail(TimePoint now);
  Status ChangePassword(std::string new_hash, TimePoint now);
};

inline constexpr std::size_t kMaxEmailLength = 254;      // RFC 5321 §4.5.3.1.3 path limit
inline constexpr std::size_t kMaxDisplayNameChars = 100;
inline constexpr std::size_t kMinPasswordChars = 10;
inline constexpr std::size_t kMaxPasswordBytes = 512;   // caps Argon2 input, not security

// Trims surrounding spaces and lower-cases ASCII letters: people type their address in any case,
// and every provider we send to treats it case-insensitively. Returns nullopt when the result is
// not a plausible address (ASCII only; one '@'; a dotted domain of letters, digits and hyphens).
std::optional<std::string> NormalizeEmail(std::string_view email);

// Each returns a FieldError message, or empty when the value is acceptable. pointer is the JSON
// Pointer the caller wants on the error.
std::string CheckDisplayName(std::string_view name);
std::string CheckPassword(std::string_view password, std::string_view email);

// Counts code points in valid UTF-8; invalid input has already been rejected at the boundary.
std::size_t Utf8Length(std::string_view text);
// Trims ASCII whitespace from both ends.
std::string_view Trim(std::string_view text);

}  // namespace cairn::core::identity
