#include "app/identity/organizations.hpp"

#include "app/identity/invitations.hpp"
#include "app/identity/sessions.hpp"
#include "fixture.hpp"

namespace cairn::app::identity::testing {
namespace {

using cairn::testing::ExtractToken;
using core::ErrorCode;
using core::identity::Role;

class Organizations : public IdentityFixture {
 protected:
  void SetUp() override {
    IdentityFixture::SetUp();
    CreatePlatformAdminUser("root@example.org");
    root_ = SignInAs("root@example.org");
    district_ = CreateOrg(root_, "Riverside Unified", "district");
    school_ = CreateOrg(root_, "Oak Elementary", "school", district_);
    other_district_ = CreateOrg(root_, "Lakeside County Schools", "district");
    nonprofit_ = CreateOrg(root_, "Teach Forward", "nonprofit");
  }
  core::identity::Principal root_;
  std::string district_, school_, other_district_, nonprofit_;
};

TEST_F(Organizations, PlatformAdminsCreateThemAndSchoolsBelongToDistricts) {
  auto all = ListOrganizations(*ctx_);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 4u);
  auto nonprofit = GetOrganization(*ctx_, nonprofit_);
  ASSERT_TRUE(nonprofit.ok());
  EXPECT_TRUE(nonprofit->issuer);  // nonprofits issue by default
  EXPECT_FALSE(GetOrganization(*ctx_, district_)->issuer);
  auto schools = ListSchools(*ctx_, district_);
  ASSERT_TRUE(schools.ok());
  ASSERT_EQ(schools->size(), 1u);
  EXPECT_EQ((*schools)[0].id, school_);
  EXPECT_EQ(ListSchools(*ctx_, nonprofit_).error().code, ErrorCode::kInvalidState);
  EXPECT_EQ(GetOrganization(*ctx_, "org_missing").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(AuditActions("organization", school_), std::vector<std::string>{"organization.create"});
}

TEST_F(Organizations, BadOrganizationsAreRefusedWithPointers) {
  auto school_under_nonprofit = CreateOrganization(*ctx_, root_, {"Pine", "school", nonprofit_, std::nullopt});
  ASSERT_FALSE(school_under_nonprofit.ok());
  EXPECT_EQ(Pointers(school_under_nonprofit.error()), std::vector<std::string>{"/parent_id"});
  auto kind = CreateOrganization(*ctx_, root_, {"Pine", "charter", "", std::nullopt});
  EXPECT_EQ(Pointers(kind.error()), std::vector<std::string>{"/kind"});
  auto issuing_school = CreateOrganization(*ctx_, root_, {"Pine", "school", district_, true});
  EXPECT_EQ(Pointers(issuing_school.error()), std::vector<std::string>{"/issuer"});
  EXPECT_EQ(ListOrganizations(*ctx_)->size(), 4u);

  CreateVerifiedUser("ada@example.org");
  auto ada = SignInAs("ada@example.org");
  auto forbidden = CreateOrganization(*ctx_, ada, {"Mine", "nonprofit", "", std::nullopt});
  ASSERT_FALSE(forbidden.ok());
  EXPECT_EQ(forbidden.error().code, ErrorCode::kForbidden);
}

TEST_F(Organizations, InvitationCreatesAVerifiedAccountWithTheRole) {
  auto inv = Invite(*ctx_, root_, {district_, "Dee@Example.org", "district_admin"});
  ASSERT_TRUE(inv.ok()) << Describe(inv.error());
  auto mail = sink_->WaitForMessageTo("dee@example.org");
  EXPECT_EQ(mail.Header("subject"), "You are invited to join Riverside Unified on Cairn");
  EXPECT_NE(mail.text.find("as district admin"), std::string::npos);
  const std::string token = ExtractToken(mail.text);

  auto missing = AcceptInvitation(*ctx_, {token, std::nullopt, std::nullopt});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(Pointers(missing.error()), (std::vector<std::string>{"/display_name", "/password"}));

  auto accepted = AcceptInvitation(*ctx_, {token, "Dee Admin", "correct horse battery"});
  ASSERT_TRUE(accepted.ok()) << Describe(accepted.error());
  EXPECT_TRUE(accepted->account_created);
  EXPECT_FALSE(AcceptInvitation(*ctx_, {token, "Dee Admin", "correct horse battery"}).ok());

  auto dee = SignInAs("dee@example.org");  // no separate verification needed
  EXPECT_TRUE(dee.HasRoleIn(Role::kDistrictAdmin, district_));
  EXPECT_EQ(AuditActions("invitation", inv->id),
            (std::vector<std::string>{"invitation.create", "invitation.accept"}));
}

TEST_F(Organizations, AcceptingWithAnExistingAccountAddsTheMembership) {
  CreateVerifiedUser("ada@example.org");
  auto ada = AddMember(root_, nonprofit_, "ada@example.org", "reviewer");
  EXPECT_TRUE(ada.HasRoleIn(Role::kReviewer, nonprofit_));
  EXPECT_EQ(CountRows("users"), 2);
}

TEST_F(Organizations, DistrictAdminsInviteIntoTheirDistrictAndSchoolsOnly) {
  auto dee = AddMember(root_, district_, "dee@example.org", "district_admin");
  auto ed = AddMember(dee, school_, "ed@example.org", "educator");
  EXPECT_TRUE(ed.HasRoleIn(Role::kEducator, school_));

  auto elsewhere = Invite(*ctx_, dee, {other_district_, "x@example.org", "educator"});
  EXPECT_EQ(elsewhere.error().code, ErrorCode::kForbidden);
  auto up = Invite(*ctx_, dee, {district_, "x@example.org", "platform_admin"});
  EXPECT_EQ(up.error().code, ErrorCode::kForbidden);
  auto by_educator = Invite(*ctx_, ed, {school_, "x@example.org", "educator"});
  EXPECT_EQ(by_educator.error().code, ErrorCode::kForbidden);
  auto wrong_role = Invite(*ctx_, root_, {school_, "x@example.org", "issuer_admin"});
  EXPECT_EQ(Pointers(wrong_role.error()), std::vector<std::string>{"/role"});
  auto bad = Invite(*ctx_, root_, {school_, "x@", "chief"});
  EXPECT_EQ(Pointers(bad.error()), (std::vector<std::string>{"/email", "/role"}));
  EXPECT_EQ(Invite(*ctx_, root_, {"org_missing", "x@example.org", "educator"}).error().code,
            ErrorCode::kNotFound);
}

TEST_F(Organizations, MembersAreVisibleToAdminsOnly) {
  auto dee = AddMember(root_, district_, "dee@example.org", "district_admin");
  auto ed = AddMember(dee, school_, "ed@example.org", "educator");
  auto lee = AddMember(root_, other_district_, "lee@example.org", "district_admin");

  auto members = ListMembers(*ctx_, dee, school_);
  ASSERT_TRUE(members.ok()) << Describe(members.error());
  ASSERT_EQ(members->size(), 1u);
  EXPECT_EQ((*members)[0].email, "ed@example.org");
  EXPECT_EQ((*members)[0].role, Role::kEducator);

  // An educator never sees another district's members, nor even their own school's.
  EXPECT_EQ(ListMembers(*ctx_, ed, other_district_).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(ListMembers(*ctx_, ed, school_).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(ListMembers(*ctx_, lee, school_).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(ListMembers(*ctx_, lee, district_).error().code, ErrorCode::kForbidden);
  EXPECT_TRUE(ListMembers(*ctx_, root_, district_).ok());
}

TEST_F(Organizations, PlatformAdminInvitations) {
  auto inv = Invite(*ctx_, root_, {"", "second@example.org", "platform_admin"});
  ASSERT_TRUE(inv.ok()) << Describe(inv.error());
  auto mail = sink_->WaitForMessageTo("second@example.org");
  EXPECT_EQ(mail.Header("subject"), "You are invited to join Cairn on Cairn");
  ASSERT_TRUE(AcceptInvitation(*ctx_, {ExtractToken(mail.text), "Second", "correct horse battery"}).ok());
  EXPECT_TRUE(SignInAs("second@example.org").IsPlatformAdmin());
}

TEST_F(Organizations, InvitationsExpireAfterAWeek) {
  ASSERT_TRUE(Invite(*ctx_, root_, {school_, "late@example.org", "educator"}).ok());
  auto mail = sink_->WaitForMessageTo("late@example.org");
  clock_.Advance(std::chrono::hours(24 * 7 + 1));
  auto late = AcceptInvitation(*ctx_, {ExtractToken(mail.text), "Late", "correct horse battery"});
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(Pointers(late.error()), std::vector<std::string>{"/token"});
  EXPECT_EQ(CountRows("users"), 1);
}

}  // namespace
}  // namespace cairn::app::identity::testing
