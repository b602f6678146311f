#include "core/identity/organization.hpp"

#include <gtest/gtest.h>

namespace cairn::core::identity {
namespace {

Organization District() {
  return {"org_d", "Riverside Unified", OrgKind::kDistrict, "", true, {}};
}

std::vector<std::string> Pointers(const Status& s) {
  std::vector<std::string> out;
  if (!s.ok())
    for (const auto& f : s.error().fields) out.push_back(f.pointer);
  return out;
}

TEST(Organization, NamesRoundTrip) {
  for (auto kind : {OrgKind::kNonprofit, OrgKind::kStateAgency, OrgKind::kDistrict, OrgKind::kSchool})
    EXPECT_EQ(ParseOrgKind(OrgKindName(kind)), kind);
  for (auto role : {Role::kEducator, Role::kReviewer, Role::kIssuerAdmin, Role::kDistrictAdmin,
                    Role::kPlatformAdmin})
    EXPECT_EQ(ParseRole(RoleName(role)), role);
  EXPECT_FALSE(ParseOrgKind("School").has_value());
  EXPECT_FALSE(ParseRole("admin").has_value());
}

TEST(Organization, SchoolNeedsDistrictParent) {
  Organization school{"org_s", "Oak Elementary", OrgKind::kSchool, "org_d", false, {}};
  EXPECT_TRUE(CheckNewOrganization(school, District()).ok());

  Organization orphan = school;
  orphan.parent_id.clear();
  EXPECT_EQ(Pointers(CheckNewOrganization(orphan, std::nullopt)),
            std::vector<std::string>{"/parent_id"});
  EXPECT_EQ(Pointers(CheckNewOrganization(school, std::nullopt)),
            std::vector<std::string>{"/parent_id"});

  Organization nonprofit{"org_n", "Teach Forward", OrgKind::kNonprofit, "", true, {}};
  EXPECT_EQ(Pointers(CheckNewOrganization(school, nonprofit)),
            std::vector<std::string>{"/parent_id"});
}

TEST(Organization, SchoolNeverIssuesAndOthersHaveNoParent) {
  Organization school{"org_s", "Oak Elementary", OrgKind::kSchool, "org_d", true, {}};
  EXPECT_EQ(Pointers(CheckNewOrganization(school, District())),
            std::vector<std::string>{"/issuer"});
  Organization agency{"org_a", "State DOE", OrgKind::kStateAgency, "org_d", true, {}};
  EXPECT_EQ(Pointers(CheckNewOrganization(agency, District())),
            std::vector<std::string>{"/parent_id"});
}

TEST(Organization, NameRules) {
  Organization org{"org_n", "", OrgKind::kNonprofit, "", true, {}};
  EXPECT_EQ(Pointers(CheckNewOrganization(org, std::nullopt)), std::vector<std::string>{"/name"});
  org.name = " padded";
  EXPECT_EQ(Pointers(CheckNewOrganization(org, std::nullopt)), std::vector<std::string>{"/name"});
  org.name = std::string(201, 'n');
  EXPECT_EQ(Pointers(CheckNewOrganization(org, std::nullopt)), std::vector<std::string>{"/name"});
  org.name = "Tab\there";
  EXPECT_EQ(Pointers(CheckNewOrganization(org, std::nullopt)), std::vector<std::string>{"/name"});
  org.name = "Teach Forward";
  EXPECT_TRUE(CheckNewOrganization(org, std::nullopt).ok());
}

TEST(Organization, RolesFitTheirOrganizations) {
  EXPECT_TRUE(RoleFitsOrganization(Role::kEducator, OrgKind::kSchool, false));
  EXPECT_TRUE(RoleFitsOrganization(Role::kReviewer, OrgKind::kNonprofit, true));
  EXPECT_FALSE(RoleFitsOrganization(Role::kReviewer, OrgKind::kSchool, false));
  EXPECT_TRUE(RoleFitsOrganization(Role::kIssuerAdmin, OrgKind::kDistrict, true));
  EXPECT_FALSE(RoleFitsOrganization(Role::kIssuerAdmin, OrgKind::kDistrict, false));
  EXPECT_TRUE(RoleFitsOrganization(Role::kDistrictAdmin, OrgKind::kDistrict, false));
  EXPECT_FALSE(RoleFitsOrganization(Role::kDistrictAdmin, OrgKind::kNonprofit, true));
  EXPECT_FALSE(RoleFitsOrganization(Role::kPlatformAdmin, OrgKind::kNonprofit, true));
}

}  // namespace
}  // namespace cairn::core::identity
