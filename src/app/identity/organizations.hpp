#pragma once
// Organisations: created by platform admins; listed to everyone signed in (names and kinds are
// not private); members only to the organisation's admins.
#include <optional>
#include <string>
#include <vector>

#include "app/identity/context.hpp"
#include "core/identity/organization.hpp"

namespace cairn::app::identity {

struct CreateOrganizationInput {
  std::string name;
  std::string kind;       // nonprofit | state_agency | district | school
  std::string parent_id;  // a school's district
  std::optional<bool> issuer;  // default: true for nonprofits and state agencies
};

core::Result<core::identity::Organization> CreateOrganization(
    IdentityContext& ctx, const core::identity::Principal& principal,
    const CreateOrganizationInput& input);

inline constexpr int kMaxOrganizationsListed = 500;
core::Result<std::vector<core::identity::Organization>> ListOrganizations(IdentityContext& ctx);
core::Result<core::identity::Organization> GetOrganization(IdentityContext& ctx,
                                                           const std::string& id);
// kInvalidState unless id is a district.
core::Result<std::vector<core::identity::Organization>> ListSchools(IdentityContext& ctx,
                                                                    const std::string& district_id);
// kForbidden unless MayViewMembers.
core::Result<std::vector<core::identity::Member>> ListMembers(
    IdentityContext& ctx, const core::identity::Principal& principal, const std::string& org_id);

}  // namespace cairn::app::identity
