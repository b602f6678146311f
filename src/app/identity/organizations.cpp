#include "app/identity/organizations.hpp"

#include "app/identity/policies.hpp"

namespace cairn::app::identity {

using core::Error;
using core::Status;
using core::identity::Organization;
using core::identity::OrgKind;

core::Result<Organization> CreateOrganization(IdentityContext& ctx,
                                              const core::identity::Principal& principal,
                                              const CreateOrganizationInput& input) {
  if (!MayCreateOrganization(principal))
    return Error::Forbidden("only platform admins create organizations");
  auto kind = core::identity::ParseOrgKind(input.kind);
  if (!kind)
    return Error::InvalidInput("the organization is invalid",
                               {{"/kind", "must be one of nonprofit, state_agency, district, school"}});
  Organization org;
  org.name = input.name;
  org.kind = *kind;
  org.parent_id = input.parent_id;
  org.issuer = input.issuer.value_or(*kind == OrgKind::kNonprofit || *kind == OrgKind::kStateAgency);
  const auto now = ctx.clock.Now();
  org.created_at = now;

  auto written = ctx.uow.Write([&](core::Transaction& tx) -> Status {
    auto& repo = tx.Identity();
    std::optional<Organization> parent;
    if (!org.parent_id.empty()) parent = repo.FindOrganization(org.parent_id);
    if (auto ok = core::identity::CheckNewOrganization(org, parent); !ok) return ok;
    org.id = ctx.ids.NewId("org");
    repo.InsertOrganization(org);
    Audit(tx, principal.user_id, "organization.create", "organization", org.id, "", "active", now,
          {{"kind", core::identity::OrgKindName(org.kind)}, {"issuer", org.issuer}});
    return core::Ok();
  });
  if (!written) return written.error();
  return org;
}

core::Result<std::vector<Organization>> ListOrganizations(IdentityContext& ctx) {
  std::vector<Organization> orgs;
  auto read = ctx.uow.Read([&](core::Transaction& tx) -> Status {
    orgs = tx.Identity().ListOrganizations(kMaxOrganizationsListed);
    return core::Ok();
  });
  if (!read) return read.error();
  return orgs;
}

core::Result<Organization> GetOrganization(IdentityContext& ctx, const std::string& id) {
  std::optional<Organization> org;
  auto read = ctx.uow.Read([&](core::Transaction& tx) -> Status {
    org = tx.Identity().FindOrganization(id);
    return org ? core::Ok() : Status(Error::NotFound("no such organization"));
  });
  if (!read) return read.error();
  return *org;
}

core::Result<std::vector<Organization>> ListSchools(IdentityContext& ctx,
                                                    const std::string& district_id) {
  std::vector<Organization> schools;
  auto read = ctx.uow.Read([&](core::Transaction& tx) -> Status {
    auto org = tx.Identity().FindOrganization(district_id);
    if (!org) return Error::NotFound("no such organization");
    if (org->kind != OrgKind::kDistrict) return Error::InvalidState("only a district has schools");
    schools = tx.Identity().ListSchools(district_id);
    return core::Ok();
  });
  if (!read) return read.error();
  return schools;
}

core::Result<std::vector<core::identity::Member>> ListMembers(
    IdentityContext& ctx, const core::identity::Principal& principal, const std::string& org_id) {
  std::vector<core::identity::Member> members;
  auto read = ctx.uow.Read([&](core::Transaction& tx) -> Status {
    auto org = tx.Identity().FindOrganization(org_id);
    if (!org) return Error::NotFound("no such organization");
    if (!MayViewMembers(principal, *org))
      return Error::Forbidden("only the organization's admins see its members");
    members = tx.Identity().ListMembers(org_id);
    return core::Ok();
  });
  if (!read) return read.error();
  return members;
}

}  // namespace cairn::app::identity
