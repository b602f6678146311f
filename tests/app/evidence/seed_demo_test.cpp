// The demo evidence data set loads through the real use cases over a real SQLite database: the
// listed educators are enrolled in the demo micro-credentials and their drafts are saved.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../../support/clock_and_ids.hpp"
#include "app/catalog/catalog.hpp"
#include "app/evidence/evidence.hpp"
#include "core/catalog/codec.hpp"
#include "storage/database.hpp"
#include "storage/identity_repository.hpp"
#include "storage/sql_unit_of_work.hpp"

namespace cairn::app::evidence {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json LoadJson(const std::string& name) {
  std::ifstream in(std::string(CAIRN_SOURCE_DIR) + "/data/demo/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

class SeedDemo : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cairn-evidence-seed-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto db = storage::Database::Open("sqlite:" + (dir_ / "cairn.db").string());
    ASSERT_TRUE(db.ok());
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->Migrate().ok());
    uow_ = std::make_unique<storage::SqlUnitOfWork>(*db_);
    const auto now = clock_.Now();
    auto seeded = db_->Write([&](storage::Tx& tx) -> core::Status {
      storage::SqlIdentityRepository identity(tx);
      using core::identity::OrgKind;
      for (auto [id, kind, issuer, parent] :
           {std::tuple{"org_tpc", OrgKind::kNonprofit, true, ""},
            std::tuple{"org_riverbend", OrgKind::kDistrict, true, ""},
            std::tuple{"org_school", OrgKind::kSchool, false, "org_riverbend"}}) {
        core::identity::Organization org{id, id, kind, parent, issuer, now};
        identity.InsertOrganization(org);
      }
      const json people = LoadJson("people.json");
      for (const auto& person : people.at("people")) {
        core::identity::User u;
        u.id = ids_.NewId("usr");
        u.email = person.at("email").get<std::string>();
        u.display_name = person.at("name").get<std::string>();
        u.password_hash = "x";
        u.created_at = u.updated_at = now;
        identity.InsertUser(u);
        identity.InsertMembership(u.id, {"org_school", core::identity::Role::kEducator}, now);
      }
      return core::Ok();
    });
    ASSERT_TRUE(seeded.ok()) << seeded.error().detail;

    catalog::CatalogContext catalog{*uow_, clock_, ids_};
    core::identity::Principal admin;
    admin.user_id = "usr_admin";
    admin.memberships = {{"", core::identity::Role::kPlatformAdmin}};
    const json catalog_doc = LoadJson("microcredentials.json");
    for (const auto& entry : catalog_doc.at("micro_credentials")) {
      json body = entry;
      const std::string issuer = body.at("issuer") == "district" ? "org_riverbend" : "org_tpc";
      body.erase("issuer");
      auto content = core::catalog::DecodeContent(body);
      ASSERT_TRUE(content.ok()) << content.error().message;
      auto mc = catalog::CreateDraft(catalog, admin, issuer, *content);
      ASSERT_TRUE(mc.ok()) << mc.error().message;
      ASSERT_TRUE(catalog::Publish(catalog, admin, mc->id, mc->revision).ok());
      titles_[content->title] = mc->id;
    }
  }

  void TearDown() override {
    db_.reset();
    fs::remove_all(dir_);
  }

  fs::path dir_;
  testing::SystemClock clock_;
  testing::RandomIdGenerator ids_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<storage::SqlUnitOfWork> uow_;
  std::map<std::string, std::string> titles_;
};

TEST_F(SeedDemo, EnrolsTheEducatorsAndSavesTheirDrafts) {
  EvidenceContext ctx{*uow_, clock_, ids_};
  const json doc = LoadJson("evidence.json");
  auto made = SeedDemoEvidence(ctx, doc, titles_);
  ASSERT_TRUE(made.ok()) << made.error().message;
  EXPECT_EQ(*made, static_cast<int>(doc.at("enrolments").size()));

  std::string priya_id;
  auto read = uow_->Read([&](core::Transaction& tx) -> core::Status {
    priya_id = tx.Identity().FindUserByEmail("priya.natarajan@riverbend.example.org")->id;
    return core::Ok();
  });
  ASSERT_TRUE(read.ok());
  core::identity::Principal priya;
  priya.user_id = priya_id;
  auto mine = ListMyEnrolments(ctx, priya);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->front().title, "Exit Tickets for Formative Assessment");
  EXPECT_EQ(mine->front().next_step, "continue draft");
  auto draft = GetDraft(ctx, priya, mine->front().enrolment.id);
  ASSERT_TRUE(draft.ok());
  EXPECT_EQ(draft->draft.revision, 1);
  EXPECT_GT(draft->checks.overview.at(0).words, 20);
  EXPECT_FALSE(draft->checks.overview.at(0).over_limit);
  EXPECT_FALSE(draft->checks.ready());  // no files yet: the demo user uploads them

  // Loading again makes no second enrolment.
  auto again = SeedDemoEvidence(ctx, doc, titles_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
}

TEST_F(SeedDemo, UnknownNamesAreReported) {
  EvidenceContext ctx{*uow_, clock_, ids_};
  json doc = {{"enrolments", {{{"educator", "nobody@example.org"},
                               {"micro_credential", "Exit Tickets for Formative Assessment"}}}}};
  auto r = SeedDemoEvidence(ctx, doc, titles_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("nobody@example.org"), std::string::npos);
  doc["enrolments"][0]["micro_credential"] = "No Such Title";
  r = SeedDemoEvidence(ctx, doc, titles_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("No Such Title"), std::string::npos);
}

}  // namespace
}  // namespace cairn::app::evidence
