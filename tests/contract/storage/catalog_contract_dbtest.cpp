// The catalog repository's contract on SQLite and PostgreSQL: drafts and revisions, publishing and
// immutability, versions, retirement, and search with every filter, sort and page.
#include <algorithm>
#include <atomic>
#include <thread>

#include "../../core/catalog/sample.hpp"
#include "core/catalog/codec.hpp"
#include "storage/catalog_repository.hpp"
#include "storage/identity_repository.hpp"
#include "storage_contract.hpp"

namespace cairn::storage {
namespace {

using core::ErrorCode;
using core::catalog::GradeBand;
using core::catalog::MicroCredential;
using core::catalog::SearchPage;
using core::catalog::SearchQuery;
using core::catalog::SortOrder;
using core::catalog::State;

core::TimePoint At(int minute) {
  core::TimePoint t{};
  core::ParseTime("2026-11-01T08:00:00Z", t);
  return t + std::chrono::minutes(minute);
}

MicroCredential Draft(const std::string& id, const std::string& title, int minute = 0) {
  MicroCredential mc;
  mc.id = id;
  mc.issuer_id = "org_national";
  mc.issuer_name = "Learning Forward Alliance";
  mc.content = core::catalog::testing::SampleContent();
  mc.content.title = title;
  mc.created_at = mc.updated_at = At(minute);
  mc.created_by = "usr_author";
  return mc;
}

// Runs catalog reads and writes on one test database, failing the test on any error.
// Storage keeps the document opaque; the contract only needs it to come back verbatim.
std::string Doc(const MicroCredential& mc) {
  return core::catalog::EncodeMicroCredential(mc).dump();
}

class CatalogOn {
 public:
  // The catalog refers to issuing organisations by public id, so the two demo issuers exist first.
  explicit CatalogOn(Database& db) : db_(db) {
    MustWrite([](Tx& tx) -> core::Status {
      SqlIdentityRepository identity(tx);
      for (const auto& [id, name] :
           {std::pair{"org_national", "Learning Forward Alliance"},
            std::pair{"org_district", "Riverbend Unified School District"}}) {
        core::identity::Organization org;
        org.id = id;
        org.name = name;
        org.kind = std::string_view(id) == "org_district" ? core::identity::OrgKind::kDistrict
                                                          : core::identity::OrgKind::kNonprofit;
        org.issuer = true;
        org.created_at = At(0);
        identity.InsertOrganization(org);
      }
      return core::Ok();
    });
  }

  void MustWrite(const std::function<core::Status(Tx&)>& fn) {
    auto s = db_.Write(fn);
    ASSERT_TRUE(s.ok()) << Describe(s.error());
  }
  void MustRead(const std::function<core::Status(Tx&)>& fn) {
    auto s = db_.Read(fn);
    ASSERT_TRUE(s.ok()) << Describe(s.error());
  }
  Database& db() { return db_; }

  // Inserts a draft and publishes it at `minute`.
  void Publish(MicroCredential mc, int minute) {
    MustWrite([&](Tx& tx) -> core::Status {
      SqlCatalogRepository repo(tx);
      if (auto s = repo.InsertVersion(mc, Doc(mc)); !s.ok()) return s;
      if (auto s = mc.Publish(At(minute)); !s.ok()) return s;
      return repo.SaveState(mc, Doc(mc));
    });
  }

  template <class T, class F>
  T ReadValue(F f) {
    T out{};
    MustRead([&](Tx& tx) -> core::Status {
      SqlCatalogRepository repo(tx);
      auto r = f(repo);
      if (!r.ok()) return r.error();
      out = std::move(r).value();
      return core::Ok();
    });
    return out;
  }

  SearchPage Find(SearchQuery q) {
    return ReadValue<SearchPage>([&](SqlCatalogRepository& repo) { return repo.Search(q); });
  }

  static std::vector<std::string> Titles(const SearchPage& page) {
    std::vector<std::string> out;
    for (const auto& c : page.items) out.push_back(c.title);
    return out;
  }

  // A small, varied published catalog for the search tests.
  void SeedCatalog() {
    auto talk = Draft("mc_talk", "Academic Discussion with Accountable Talk", 1);
    talk.content.summary = "Students build on each other's ideas in whole-class discussion.";
    talk.content.subject = "English Language Arts";
    talk.content.grade_band = GradeBand::k6To8;
    talk.content.estimated_hours = 12;
    talk.content.tags = {"discussion", "oracy"};
    Publish(talk, 10);

    auto mindset = Draft("mc_mindset", "Growth Mindset Feedback", 2);
    mindset.content.summary = "Praise process and strategy, not fixed ability.";
    mindset.content.subject = "Social-Emotional Learning";
    mindset.content.grade_band = GradeBand::kK12;
    mindset.content.estimated_hours = 6;
    mindset.content.tags = {"mindset", "feedback"};
    Publish(mindset, 20);

    auto design = Draft("mc_design", "Design Thinking in STEM", 3);
    design.issuer_id = "org_district";
    design.issuer_name = "Riverbend Unified School District";
    design.content.summary = "Students empathise, define, ideate, prototype and test.";
    design.content.research = "Discussion of prototypes helps students revise designs.";
    design.content.subject = "Science";
    design.content.grade_band = GradeBand::k9To12;
    design.content.estimated_hours = 20;
    design.content.tags = {"stem", "design"};
    Publish(design, 30);

    auto numbers = Draft("mc_numbers", "Number Talks", 4);
    numbers.content.summary = "Short daily mental math routines.";
    numbers.content.subject = "Mathematics";
    numbers.content.grade_band = GradeBand::k3To5;
    numbers.content.estimated_hours = 8;
    numbers.content.tags = {"math", "discussion"};
    Publish(numbers, 40);

    // Drafts never appear in the public catalog.
    MustWrite([&](Tx& tx) -> core::Status {
      auto secret = Draft("mc_secret", "Unpublished Discussion Draft", 5);
      return SqlCatalogRepository(tx).InsertVersion(secret, Doc(secret));
    });
  }

 private:
  Database& db_;
};

TEST_P(StorageContract, CatalogDraftRoundTripsEveryField) {
  CatalogOn c(db());
  auto mc = Draft("mc_round", "Exit Tickets");
  mc.content.rubric.earned_rule.minimum_criteria = 2;
  mc.content.rubric.earned_rule.floor_level = "approaching";
  mc.content.image_url = "https://example.org/badge.png";
  mc.content.title = "Exit Tickets — Schülerfeedback 📝";
  c.MustWrite([&](Tx& tx) { return SqlCatalogRepository(tx).InsertVersion(mc, Doc(mc)); });

  auto back = c.ReadValue<MicroCredential>(
      [&](SqlCatalogRepository& repo) { return repo.GetVersion("mc_round", 1); });
  EXPECT_EQ(core::catalog::EncodeMicroCredential(back), core::catalog::EncodeMicroCredential(mc));

  auto draft = c.ReadValue<std::optional<MicroCredential>>(
      [&](SqlCatalogRepository& repo) { return repo.FindDraft("mc_round"); });
  ASSERT_TRUE(draft.has_value());
  EXPECT_EQ(draft->state, State::kDraft);

  c.MustRead([&](Tx& tx) -> core::Status {
    SqlCatalogRepository repo(tx);
    EXPECT_EQ(repo.GetCurrent("mc_round").error().code, ErrorCode::kNotFound);
    EXPECT_EQ(repo.GetVersion("mc_round", 2).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(repo.ListVersions("mc_nobody").error().code, ErrorCode::kNotFound);
    return core::Ok();
  });
}

TEST_P(StorageContract, CatalogStaleRevisionIsAConflictAndWritesNothing) {
  CatalogOn c(db());
  auto mc = Draft("mc_rev", "Original title");
  c.MustWrite([&](Tx& tx) { return SqlCatalogRepository(tx).InsertVersion(mc, Doc(mc)); });

  mc.content.title = "First edit";
  mc.revision = 2;
  c.MustWrite([&](Tx& tx) { return SqlCatalogRepository(tx).UpdateDraft(mc, 1, Doc(mc)); });

  mc.content.title = "Edit from a stale tab";
  mc.revision = 2;
  auto stale =
      c.db().Write([&](Tx& tx) { return SqlCatalogRepository(tx).UpdateDraft(mc, 1, Doc(mc)); });
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_NE(stale.error().message.find("revision 2"), std::string::npos);

  auto back = c.ReadValue<MicroCredential>(
      [&](SqlCatalogRepository& repo) { return repo.GetVersion("mc_rev", 1); });
  EXPECT_EQ(back.content.title, "First edit");
  EXPECT_EQ(back.revision, 2);

  auto missing = Draft("mc_missing", "x");
  auto gone = c.db().Write(
      [&](Tx& tx) { return SqlCatalogRepository(tx).UpdateDraft(missing, 1, Doc(missing)); });
  EXPECT_EQ(gone.error().code, ErrorCode::kNotFound);
}

TEST_P(StorageContract, CatalogConcurrentSavesOfOneRevisionLetExactlyOneWin) {
  CatalogOn c(db());
  auto mc = Draft("mc_race", "Race");
  c.MustWrite([&](Tx& tx) { return SqlCatalogRepository(tx).InsertVersion(mc, Doc(mc)); });
  std::atomic<int> won{0}, conflicted{0};
  std::vector<std::thread> editors;
  for (int i = 0; i < 4; ++i) {
    editors.emplace_back([&, i] {
      auto edit = mc;
      edit.content.title = "Editor " + std::to_string(i);
      edit.revision = 2;
      auto s = db().Write(
          [&](Tx& tx) { return SqlCatalogRepository(tx).UpdateDraft(edit, 1, Doc(edit)); });
      if (s.ok()) {
        ++won;
      } else if (s.error().code == ErrorCode::kConflict) {
        ++conflicted;
      }
    });
  }
  for (auto& t : editors) t.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(conflicted.load(), 3);
  auto back = c.ReadValue<MicroCredential>(
      [&](SqlCatalogRepository& repo) { return repo.GetVersion("mc_race", 1); });
  EXPECT_EQ(back.revision, 2);
  EXPECT_EQ(back.content.title.rfind("Editor ", 0), 0u);
}

TEST_P(StorageContract, CatalogPublishedVersionIsFrozenEvenAgainstRawSql) {
  CatalogOn c(db());
  auto mc = Draft("mc_frozen", "Frozen");
  c.Publish(mc, 5);
  auto current = c.ReadValue<MicroCredential>(
      [&](SqlCatalogRepository& repo) { return repo.GetCurrent("mc_frozen"); });
  EXPECT_EQ(current.state, State::kPublished);
  EXPECT_EQ(current.published_at, At(5));

  mc.content.title = "Changed after publishing";
  mc.revision = 2;
  auto update =
      c.db().Write([&](Tx& tx) { return SqlCatalogRepository(tx).UpdateDraft(mc, 1, Doc(mc)); });
  ASSERT_FALSE(update.ok());
  EXPECT_EQ(update.error().code, ErrorCode::kInvalidState);

  // The schema refuses too, whatever code tries.
  auto raw = c.db().Write([&](Tx& tx) -> core::Status {
    tx.sql() << "UPDATE catalog_versions SET content = '{}' WHERE public_id = 'mc_frozen'";
    return core::Ok();
  });
  EXPECT_FALSE(raw.ok());
  auto again = c.ReadValue<MicroCredential>(
      [&](SqlCatalogRepository& repo) { return repo.GetVersion("mc_frozen", 1); });
  EXPECT_EQ(again.content.title, "Frozen");
}

TEST_P(StorageContract, CatalogNewVersionBecomesCurrentAndTheOldOneStaysReadable) {
  CatalogOn c(db());
  auto v1 = Draft("mc_ver", "Version one");
  c.Publish(v1, 5);
  v1.state = State::kPublished;
  auto v2 = core::catalog::NewDraftFrom(v1, At(6), "usr_editor");
  ASSERT_TRUE(v2.ok());
  v2->content.title = "Version two";
  c.MustWrite([&](Tx& tx) { return SqlCatalogRepository(tx).InsertVersion(*v2, Doc(*v2)); });

  // A second open draft of the same micro-credential is refused.
  auto second = *v2;
  second.version = 3;
  auto dup = c.db().Write(
      [&](Tx& tx) { return SqlCatalogRepository(tx).InsertVersion(second, Doc(second)); });
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);

  // Until v2 is published the catalog shows v1.
  EXPECT_EQ(c.Titles(c.Find({.text = "version"})), std::vector<std::string>{"Version one"});
  c.MustWrite([&](Tx& tx) -> core::Status {
    if (auto s = v2->Publish(At(7)); !s.ok()) return s;
    return SqlCatalogRepository(tx).SaveState(*v2, Doc(*v2));
  });
  auto current = c.ReadValue<MicroCredential>(
      [&](SqlCatalogRepository& repo) { return repo.GetCurrent("mc_ver"); });
  EXPECT_EQ(current.version, 2);
  EXPECT_EQ(current.content.title, "Version two");
  auto old = c.ReadValue<MicroCredential>(
      [&](SqlCatalogRepository& repo) { return repo.GetVersion("mc_ver", 1); });
  EXPECT_EQ(old.content.title, "Version one");
  EXPECT_EQ(old.state, State::kPublished);

  // Documents come back verbatim, with the version and state they belong to.
  auto doc = c.ReadValue<core::catalog::VersionDocument>(
      [&](SqlCatalogRepository& repo) { return repo.GetDocument("mc_ver", std::nullopt); });
  EXPECT_EQ(doc.version, 2);
  EXPECT_EQ(doc.state, State::kPublished);
  EXPECT_EQ(doc.issuer_id, "org_national");
  EXPECT_EQ(doc.json, Doc(*v2));
  auto first = c.ReadValue<core::catalog::VersionDocument>(
      [&](SqlCatalogRepository& repo) { return repo.GetDocument("mc_ver", 1); });
  EXPECT_EQ(first.version, 1);
  EXPECT_EQ(nlohmann::json::parse(first.json)["title"], "Version one");
  c.MustRead([&](Tx& tx) -> core::Status {
    SqlCatalogRepository repo(tx);
    EXPECT_EQ(repo.GetDocument("mc_ver", 3).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(repo.GetDocument("mc_none", std::nullopt).error().code, ErrorCode::kNotFound);
    return core::Ok();
  });

  auto versions = c.ReadValue<std::vector<core::catalog::VersionSummary>>(
      [&](SqlCatalogRepository& repo) { return repo.ListVersions("mc_ver"); });
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0].version, 2);
  EXPECT_EQ(versions[1].version, 1);
  // Search indexes only the shown version: one hit, the new title.
  auto page = c.Find({.text = "version"});
  EXPECT_EQ(page.total, 1);
  EXPECT_EQ(c.Titles(page), std::vector<std::string>{"Version two"});
}

TEST_P(StorageContract, CatalogRetiredLeavesTheCatalogButStaysReadable) {
  CatalogOn c(db());
  auto mc = Draft("mc_old", "Retiring Soon");
  c.Publish(mc, 5);
  mc.state = State::kPublished;
  EXPECT_EQ(c.Find({.text = "retiring"}).total, 1);
  c.MustWrite([&](Tx& tx) -> core::Status {
    if (auto s = mc.Retire(At(9)); !s.ok()) return s;
    return SqlCatalogRepository(tx).SaveState(mc, Doc(mc));
  });
  EXPECT_EQ(c.Find({.text = "retiring"}).total, 0);
  EXPECT_EQ(c.Find({}).total, 0);
  auto current = c.ReadValue<MicroCredential>(
      [&](SqlCatalogRepository& repo) { return repo.GetCurrent("mc_old"); });
  EXPECT_EQ(current.state, State::kRetired);
  EXPECT_EQ(current.retired_at, At(9));
  // Retiring stores the new rendering too.
  auto doc = c.ReadValue<core::catalog::VersionDocument>(
      [&](SqlCatalogRepository& repo) { return repo.GetDocument("mc_old", std::nullopt); });
  EXPECT_EQ(doc.state, State::kRetired);
  EXPECT_EQ(nlohmann::json::parse(doc.json)["state"], "retired");
  // Retiring twice finds nothing to retire.
  auto twice =
      c.db().Write([&](Tx& tx) { return SqlCatalogRepository(tx).SaveState(mc, Doc(mc)); });
  EXPECT_EQ(twice.error().code, ErrorCode::kConflict);
}

TEST_P(StorageContract, CatalogIssuerMustBeAKnownOrganization) {
  CatalogOn c(db());
  auto orphan = Draft("mc_orphan", "Nobody's");
  orphan.issuer_id = "org_unknown";
  auto status = c.db().Write(
      [&](Tx& tx) { return SqlCatalogRepository(tx).InsertVersion(orphan, Doc(orphan)); });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kConflict);
}

TEST_P(StorageContract, CatalogIssuerDraftsListsOnlyThatIssuersDrafts) {
  CatalogOn c(db());
  c.SeedCatalog();
  auto drafts = c.ReadValue<std::vector<MicroCredential>>(
      [&](SqlCatalogRepository& repo) { return repo.ListIssuerDrafts("org_national"); });
  ASSERT_EQ(drafts.size(), 1u);
  EXPECT_EQ(drafts[0].id, "mc_secret");
  EXPECT_TRUE(c.ReadValue<std::vector<MicroCredential>>([&](SqlCatalogRepository& repo) {
                 return repo.ListIssuerDrafts("org_district");
               }).empty());
}

TEST_P(StorageContract, CatalogFullTextSearchMatchesStemsAndRanksTitlesFirst) {
  CatalogOn c(db());
  c.SeedCatalog();
  // "discussions" stems to "discussion": the title hit, the tag hits and the research hit.
  auto page = c.Find({.text = "Discussions"});
  EXPECT_EQ(page.total, 3);
  ASSERT_FALSE(page.items.empty());
  EXPECT_EQ(page.items.front().title, "Academic Discussion with Accountable Talk");
  // The draft that mentions discussion never shows.
  for (const auto& c : page.items) EXPECT_NE(c.id, "mc_secret");
  // Every word must match.
  EXPECT_EQ(c.Titles(c.Find({.text = "design prototype"})),
            std::vector<std::string>{"Design Thinking in STEM"});
  // Query syntax is just text: quotes, stars and operators neither break nor widen the search.
  EXPECT_EQ(c.Find({.text = "\"mindset\" OR * NEAR("}).total, 0);
  EXPECT_EQ(c.Find({.text = "mindset*"}).total, 1);
  EXPECT_EQ(c.Find({.text = "!!!"}).total, 4);  // no words: everything published
}

TEST_P(StorageContract, CatalogSearchFilters) {
  CatalogOn c(db());
  c.SeedCatalog();
  EXPECT_EQ(c.Titles(c.Find({.issuer_id = "org_district"})),
            std::vector<std::string>{"Design Thinking in STEM"});
  EXPECT_EQ(c.Titles(c.Find({.subject = "mathematics"})), std::vector<std::string>{"Number Talks"});
  // 6-8 overlaps the 6-8 and K-12 micro-credentials, not 3-5 or 9-12.
  auto middle = c.Find({.grade_band = GradeBand::k6To8, .sort = SortOrder::kTitle});
  EXPECT_EQ(c.Titles(middle), (std::vector<std::string>{"Academic Discussion with Accountable Talk",
                                                        "Growth Mindset Feedback"}));
  auto hours = c.Find({.min_hours = 7, .max_hours = 12, .sort = SortOrder::kHours});
  EXPECT_EQ(c.Titles(hours), (std::vector<std::string>{
                                 "Number Talks", "Academic Discussion with Accountable Talk"}));
  EXPECT_EQ(
      c.Titles(c.Find({.tag = "discussion", .sort = SortOrder::kTitle})),
      (std::vector<std::string>{"Academic Discussion with Accountable Talk", "Number Talks"}));
  EXPECT_EQ(c.Find({.text = "discussion", .issuer_id = "org_district"}).total, 1);
  EXPECT_EQ(c.Find({.tag = "nonexistent"}).total, 0);
}

TEST_P(StorageContract, CatalogSortingAndPagination) {
  CatalogOn c(db());
  c.SeedCatalog();
  auto newest = c.Find({.sort = SortOrder::kNewest});
  EXPECT_EQ(c.Titles(newest),
            (std::vector<std::string>{"Number Talks", "Design Thinking in STEM",
                                      "Growth Mindset Feedback",
                                      "Academic Discussion with Accountable Talk"}));
  // Relevance without text is newest first.
  EXPECT_EQ(c.Titles(c.Find({})), c.Titles(newest));
  auto by_hours = c.Find({.sort = SortOrder::kHours});
  EXPECT_EQ(by_hours.items.front().estimated_hours, 6);
  EXPECT_EQ(by_hours.items.back().estimated_hours, 20);

  auto first = c.Find({.sort = SortOrder::kTitle, .page = 1, .page_size = 3});
  auto second = c.Find({.sort = SortOrder::kTitle, .page = 2, .page_size = 3});
  EXPECT_EQ(first.total, 4);
  EXPECT_EQ(second.total, 4);
  EXPECT_EQ(c.Titles(first),
            (std::vector<std::string>{"Academic Discussion with Accountable Talk",
                                      "Design Thinking in STEM", "Growth Mindset Feedback"}));
  EXPECT_EQ(c.Titles(second), std::vector<std::string>{"Number Talks"});
  EXPECT_TRUE(c.Find({.page = 3, .page_size = 3}).items.empty());

  // Cards carry what a catalog tile shows.
  const auto& card = second.items.front();
  EXPECT_EQ(card.id, "mc_numbers");
  EXPECT_EQ(card.version, 1);
  EXPECT_EQ(card.issuer_name, "Learning Forward Alliance");
  EXPECT_EQ(card.grade_band, GradeBand::k3To5);
  EXPECT_EQ(card.tags, (std::vector<std::string>{"math", "discussion"}));
  EXPECT_EQ(card.published_at, At(40));
}

TEST(CatalogSearchTerms, SplitsWordsAndDropsSyntax) {
  EXPECT_EQ(SearchTerms("Growth-Mindset \"talk\" OR x*"),
            (std::vector<std::string>{"growth", "mindset", "talk", "or", "x"}));
  EXPECT_TRUE(SearchTerms("  !!! ").empty());
}

}  // namespace
}  // namespace cairn::storage
