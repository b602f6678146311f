#include "app/identity/policies.hpp"

#include <gtest/gtest.h>

namespace cairn::app::identity {
namespace {

using core::identity::Membership;
using core::identity::Organization;
using core::identity::OrgKind;
using core::identity::Principal;
using core::identity::Role;

Principal With(std::vector<Membership> memberships) {
  Principal p;
  p.user_id = "usr_x";
  p.memberships = std::move(memberships);
  return p;
}

bool Allows(const PolicySet& set, std::string_view name, const std::optional<Principal>& p,
            const PathParams& params = {}) {
  const PolicyCheck* check = set.Find(name);
  EXPECT_NE(check, nullptr) << name;
  return check && (*check)(p, params);
}

TEST(Policies, StandardNamesExistAndUnknownOnesDoNot) {
  auto set = StandardPolicies();
  for (const char* name : {"public", "authenticated", "session", "platform_admin", "issuer_admin",
                           "district_admin", "org_admin", "org_member"})
    EXPECT_NE(set.Find(name), nullptr) << name;
  EXPECT_EQ(set.Find("admin"), nullptr);
  EXPECT_THROW(set.Add("public", [](const auto&, const auto&) { return true; }),
               std::invalid_argument);
}

TEST(Policies, AnonymousOnlyPassesPublic) {
  auto set = StandardPolicies();
  for (const auto& name : set.Names())
    EXPECT_EQ(Allows(set, name, std::nullopt, {{"id", "org_a"}}), name == "public") << name;
}

TEST(Policies, OrgPoliciesFollowThePathParameter) {
  auto set = StandardPolicies();
  const Principal admin = With({{"org_a", Role::kIssuerAdmin}});
  const Principal educator = With({{"org_a", Role::kEducator}});
  EXPECT_TRUE(Allows(set, "org_admin", admin, {{"id", "org_a"}}));
  EXPECT_FALSE(Allows(set, "org_admin", admin, {{"id", "org_b"}}));
  EXPECT_FALSE(Allows(set, "org_admin", educator, {{"id", "org_a"}}));
  EXPECT_TRUE(Allows(set, "org_member", educator, {{"id", "org_a"}}));
  EXPECT_FALSE(Allows(set, "org_member", educator, {{"id", "org_b"}}));
  EXPECT_TRUE(Allows(set, "issuer_admin", admin));
  EXPECT_FALSE(Allows(set, "district_admin", admin));
  const Principal root = With({{"", Role::kPlatformAdmin}});
  EXPECT_TRUE(Allows(set, "org_admin", root, {{"id", "org_b"}}));
  EXPECT_TRUE(Allows(set, "platform_admin", root));
  EXPECT_FALSE(Allows(set, "platform_admin", admin));
}

TEST(Policies, SessionExcludesApiTokens) {
  auto set = StandardPolicies();
  Principal p = With({});
  EXPECT_TRUE(Allows(set, "session", p));
  p.via_api_token = true;
  EXPECT_FALSE(Allows(set, "session", p));
  EXPECT_TRUE(Allows(set, "authenticated", p));
}

TEST(Policies, MembersAndInvitationsRespectTheDistrictTree) {
  const Organization district{"org_d", "D", OrgKind::kDistrict, "", false, {}};
  const Organization school{"org_s", "S", OrgKind::kSchool, "org_d", false, {}};
  const Organization other_school{"org_t", "T", OrgKind::kSchool, "org_e", false, {}};
  const Organization issuer{"org_n", "N", OrgKind::kNonprofit, "", true, {}};
  const Principal dadmin = With({{"org_d", Role::kDistrictAdmin}});
  EXPECT_TRUE(MayViewMembers(dadmin, district));
  EXPECT_TRUE(MayViewMembers(dadmin, school));
  EXPECT_FALSE(MayViewMembers(dadmin, other_school));
  EXPECT_TRUE(MayInvite(dadmin, school, Role::kEducator));
  EXPECT_TRUE(MayInvite(dadmin, district, Role::kDistrictAdmin));
  EXPECT_FALSE(MayInvite(dadmin, school, Role::kReviewer));  // the school does not issue
  EXPECT_FALSE(MayInvite(dadmin, other_school, Role::kEducator));
  EXPECT_FALSE(MayInvite(dadmin, district, Role::kPlatformAdmin));

  const Principal iadmin = With({{"org_n", Role::kIssuerAdmin}});
  EXPECT_TRUE(MayInvite(iadmin, issuer, Role::kReviewer));
  EXPECT_TRUE(MayInvite(iadmin, issuer, Role::kIssuerAdmin));
  EXPECT_FALSE(MayInvite(iadmin, issuer, Role::kDistrictAdmin));
  EXPECT_FALSE(MayInvite(iadmin, district, Role::kEducator));
  EXPECT_FALSE(MayViewMembers(With({{"org_n", Role::kReviewer}}), issuer));
}

}  // namespace
}  // namespace cairn::app::identity
