#include "app/identity/policies.hpp"

#include <stdexcept>

namespace cairn::app::identity {

using core::identity::Organization;
using core::identity::OrgKind;
using core::identity::Principal;
using core::identity::Role;

void PolicySet::Add(std::string name, PolicyCheck check) {
  if (checks_.count(name)) throw std::invalid_argument("duplicate policy " + name);
  checks_.emplace(std::move(name), std::move(check));
}

const PolicyCheck* PolicySet::Find(std::string_view name) const {
  auto it = checks_.find(name);
  return it == checks_.end() ? nullptr : &it->second;
}

std::vector<std::string> PolicySet::Names() const {
  std::vector<std::string> out;
  for (const auto& [name, check] : checks_) out.push_back(name);
  return out;
}

namespace {

bool IsOrgAdmin(const Principal& p, const std::string& org_id) {
  return p.HasRoleIn(Role::kIssuerAdmin, org_id) || p.HasRoleIn(Role::kDistrictAdmin, org_id);
}

std::string OrgParam(const PathParams& params) {
  auto it = params.find("id");
  return it == params.end() ? std::string() : it->second;
}

}  // namespace

PolicySet StandardPolicies() {
  PolicySet set;
  set.Add("public", [](const auto&, const auto&) { return true; });
  set.Add("authenticated", [](const auto& p, const auto&) { return p.has_value(); });
  set.Add("session", [](const auto& p, const auto&) { return p && !p->via_api_token; });
  set.Add("platform_admin", [](const auto& p, const auto&) { return p && p->IsPlatformAdmin(); });
  set.Add("issuer_admin", [](const auto& p, const auto&) {
    return p && (p->IsPlatformAdmin() || p->HasRole(Role::kIssuerAdmin));
  });
  set.Add("district_admin", [](const auto& p, const auto&) {
    return p && (p->IsPlatformAdmin() || p->HasRole(Role::kDistrictAdmin));
  });
  set.Add("org_admin", [](const auto& p, const PathParams& params) {
    return p && (p->IsPlatformAdmin() || IsOrgAdmin(*p, OrgParam(params)));
  });
  set.Add("org_member", [](const auto& p, const PathParams& params) {
    if (!p) return false;
    if (p->IsPlatformAdmin()) return true;
    const std::string org = OrgParam(params);
    for (const auto& m : p->memberships)
      if (m.organization_id == org) return true;
    return false;
  });
  return set;
}

bool MayViewMembers(const Principal& p, const Organization& org) {
  if (p.IsPlatformAdmin() || IsOrgAdmin(p, org.id)) return true;
  return org.kind == OrgKind::kSchool && p.HasRoleIn(Role::kDistrictAdmin, org.parent_id);
}

bool MayInvite(const Principal& p, const Organization& org, Role role) {
  if (role == Role::kPlatformAdmin) return p.IsPlatformAdmin();
  if (!core::identity::RoleFitsOrganization(role, org.kind, org.issuer)) return false;
  if (p.IsPlatformAdmin()) return true;
  if (p.HasRoleIn(Role::kIssuerAdmin, org.id) &&
      (role == Role::kEducator || role == Role::kReviewer || role == Role::kIssuerAdmin))
    return true;
  const bool district_admin = p.HasRoleIn(Role::kDistrictAdmin, org.id) ||
                              (org.kind == OrgKind::kSchool &&
                               p.HasRoleIn(Role::kDistrictAdmin, org.parent_id));
  return district_admin &&
         (role == Role::kEducator || role == Role::kReviewer || role == Role::kDistrictAdmin);
}

bool MayCreateOrganization(const Principal& p) { return p.IsPlatformAdmin(); }

}  // namespace cairn::app::identity
