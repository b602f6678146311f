#pragma once
// Organisations (issuers, districts and their schools), memberships and the role vocabulary.
#include <optional>
#include <string>
#include <string_view>

#include "core/common/clock.hpp"
#include "core/common/result.hpp"
#include "core/identity/principal.hpp"

namespace cairn::core::identity {

enum class OrgKind { kNonprofit, kStateAgency, kDistrict, kSchool };

std::string_view OrgKindName(OrgKind kind);
std::optional<OrgKind> ParseOrgKind(std::string_view name);
std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);

struct Organization {
  std::string id;  // "org_…"
  std::string name;
  OrgKind kind = OrgKind::kNonprofit;
  std::string parent_id;  // the district of a school; empty otherwise
  bool issuer = false;    // may publish micro-credentials and sign credentials
  TimePoint created_at;
};

inline constexpr std::size_t kMaxOrgNameChars = 200;

// The shape rules of a new organisation: a school belongs to a district and never issues; others
// have no parent. parent is the looked-up parent (nullopt when parent_id is empty or unknown).
// Errors name fields by JSON Pointer (/name, /kind, /parent_id, /issuer).
Status CheckNewOrganization(const Organization& org, const std::optional<Organization>& parent);

// Which roles make sense in which kind of organisation. Platform admin belongs to no organisation.
bool RoleFitsOrganization(Role role, OrgKind kind, bool issuer);

// A member as an admin sees them in the members list.
struct Member {
  std::string user_id;
  std::string email;
  std::string display_name;
  Role role = Role::kEducator;
  TimePoint since;
};

}  // namespace cairn::core::identity
