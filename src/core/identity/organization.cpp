#include "core/identity/organization.hpp"

#include "core/identity/user.hpp"

namespace cairn::core::identity {

std::string_view OrgKindName(OrgKind kind) {
  switch (kind) {
    case OrgKind::kNonprofit: return "nonprofit";
    case OrgKind::kStateAgency: return "state_agency";
    case OrgKind::kDistrict: return "district";
    case OrgKind::kSchool: return "school";
  }
  return "nonprofit";
}

std::optional<OrgKind> ParseOrgKind(std::string_view name) {
  if (name == "nonprofit") return OrgKind::kNonprofit;
  if (name == "state_agency") return OrgKind::kStateAgency;
  if (name == "district") return OrgKind::kDistrict;
  if (name == "school") return OrgKind::kSchool;
  return std::nullopt;
}

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kEducator: return "educator";
    case Role::kReviewer: return "reviewer";
    case Role::kIssuerAdmin: return "issuer_admin";
    case Role::kDistrictAdmin: return "district_admin";
    case Role::kPlatformAdmin: return "platform_admin";
  }
  return "educator";
}

std::optional<Role> ParseRole(std::string_view name) {
  if (name == "educator") return Role::kEducator;
  if (name == "reviewer") return Role::kReviewer;
  if (name == "issuer_admin") return Role::kIssuerAdmin;
  if (name == "district_admin") return Role::kDistrictAdmin;
  if (name == "platform_admin") return Role::kPlatformAdmin;
  return std::nullopt;
}

Status CheckNewOrganization(const Organization& org, const std::optional<Organization>& parent) {
  std::vector<FieldError> fields;
  std::string_view name = Trim(org.name);
  if (name.empty())
    fields.push_back({"/name", "must not be empty"});
  else if (name.size() != org.name.size())
    fields.push_back({"/name", "must not start or end with whitespace"});
  else if (Utf8Length(org.name) > kMaxOrgNameChars)
    fields.push_back({"/name", "must be at most 200 characters"});
  else
    for (unsigned char c : org.name)
      if (c < 0x20 || c == 0x7F) {
        fields.push_back({"/name", "must not contain control characters"});
        break;
      }

  if (org.kind == OrgKind::kSchool) {
    if (org.parent_id.empty())
      fields.push_back({"/parent_id", "a school needs the id of its district"});
    else if (!parent)
      fields.push_back({"/parent_id", "no such organization"});
    else if (parent->kind != OrgKind::kDistrict)
      fields.push_back({"/parent_id", "must be a district"});
    if (org.issuer) fields.push_back({"/issuer", "a school cannot be an issuer"});
  } else if (!org.parent_id.empty()) {
    fields.push_back({"/parent_id", "only a school has a parent organization"});
  }
  if (!fields.empty()) return Error::InvalidInput("the organization is invalid", std::move(fields));
  return Ok();
}

bool RoleFitsOrganization(Role role, OrgKind kind, bool issuer) {
  switch (role) {
    case Role::kEducator: return true;
    case Role::kReviewer: return issuer;
    case Role::kIssuerAdmin: return issuer;
    case Role::kDistrictAdmin: return kind == OrgKind::kDistrict || kind == OrgKind::kSchool;
    case Role::kPlatformAdmin: return false;
  }
  return false;
}

}  // namespace cairn::core::identity
