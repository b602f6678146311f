#pragma once
// Who is acting: resolved once per request from a session cookie or an API token.
#include <string>
#include <vector>

namespace cairn::core::identity {

enum class Role { kEducator, kReviewer, kIssuerAdmin, kDistrictAdmin, kPlatformAdmin };

struct Membership {
  std::string organization_id;  // public id, e.g. "org_…"
  Role role = Role::kEducator;
};

struct Principal {
  std::string user_id;  // public id, e.g. "usr_…"
  std::string email;
  std::string display_name;
  std::vector<Membership> memberships;
  std::string session_id;      // empty when authenticated by API token
  bool via_api_token = false;  // tokens are not subject to CSRF checks
  // The session's CSRF token (empty for API tokens); cookie-authenticated unsafe requests must
  // echo it in X-CSRF-Token.
  std::string csrf_token;

  bool HasRole(Role role) const {
    for (const auto& m : memberships)
      if (m.role == role) return true;
    return false;
  }
  bool HasRoleIn(Role role, const std::string& organization_id) const {
    for (const auto& m : memberships)
      if (m.role == role && m.organization_id == organization_id) return true;
    return false;
  }
  bool IsPlatformAdmin() const { return HasRole(Role::kPlatformAdmin); }
};

}  // namespace cairn::core::identity
