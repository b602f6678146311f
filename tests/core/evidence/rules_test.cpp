// The educator-side rules: word counts as typed, content checks with pointers, the submission
// state machine, the attempt cap with coach grants, next steps, and pseudonymous codes.
#include "core/evidence/rules.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "../../support/clock_and_ids.hpp"
#include "../catalog/sample.hpp"

namespace cairn::core::evidence {
namespace {

using catalog::ArtifactKind;

TEST(CountWords, SplitsOnWhitespaceOfAnyKind) {
  EXPECT_EQ(CountWords(""), 0);
  EXPECT_EQ(CountWords("   \n\t "), 0);
  EXPECT_EQ(CountWords("one"), 1);
  EXPECT_EQ(CountWords("  one  two\tthree\nfour  "), 4);
  EXPECT_EQ(CountWords("no\u00a0break\u2003em\u3000ideographic"), 4);
  EXPECT_EQ(CountWords("don't stop-and-go 3.5 e.g."), 4);
  EXPECT_EQ(CountWords("Schüler lernen Ökologie"), 3);
  EXPECT_EQ(CountWords("日本語 テキスト"), 2);
  EXPECT_EQ(CountWords("Élan — vital … really"), 3);  // a lone dash or ellipsis is no word
  EXPECT_EQ(CountWords("a - b"), 2);
}

struct ContentCheck : ::testing::Test {
  catalog::SubmissionRequirements req = catalog::testing::SampleContent().submission;
  std::map<std::string, EvidenceFile> files;
  FileLookup lookup = [this](const std::string& id) -> std::optional<EvidenceFile> {
    auto it = files.find(id);
    if (it == files.end()) return std::nullopt;
    return it->second;
  };

  void AddFile(const std::string& id, ArtifactKind kind, const std::string& enrolment = "enr_1") {
    EvidenceFile f;
    f.id = id;
    f.enrolment_id = enrolment;
    f.kind = kind;
    files[id] = f;
  }

  SubmissionContent Complete() {
    AddFile("fil_doc", ArtifactKind::kDocument);
    SubmissionContent c;
    c.overview = {"My class of twenty-eight seventh graders, goal: ratios."};
    c.artifacts = {{0, "fil_doc", "", "The ticket", false, false}};
    c.reflection = {"The responses showed half the class confused rates and ratios."};
    return c;
  }

  static std::set<std::string> Pointers(const std::vector<FieldError>& errors) {
    std::set<std::string> out;
    for (const auto& e : errors) out.insert(e.pointer);
    return out;
  }
};

TEST_F(ContentCheck, CompleteContentIsReady) {
  auto checks = CheckContent(req, Complete(), lookup, "enr_1");
  EXPECT_TRUE(checks.ready()) << (checks.problems.empty() ? "" : checks.problems[0].pointer);
  ASSERT_EQ(checks.overview.size(), 1u);
  EXPECT_EQ(checks.overview[0].words, 8);
  EXPECT_EQ(checks.overview[0].limit, 250);
  ASSERT_EQ(checks.artifacts.size(), 1u);
  EXPECT_EQ(checks.artifacts[0].count, 1);
  EXPECT_EQ(checks.reflection[0].pointer, "/reflection/0");
}

TEST_F(ContentCheck, EmptyDraftListsWhatIsMissingWithoutBeingMalformed) {
  auto checks = CheckContent(req, {}, lookup, "enr_1");
  EXPECT_TRUE(checks.malformed.empty());
  EXPECT_EQ(Pointers(checks.problems),
            (std::set<std::string>{"/overview/0", "/artifacts", "/reflection/0"}));
}

TEST_F(ContentCheck, WordLimitsAreCountedAsTyped) {
  auto c = Complete();
  req.reflection[0].word_limit = 5;
  c.reflection[0] = "one two three four five";
  EXPECT_TRUE(CheckContent(req, c, lookup, "enr_1").ready());
  c.reflection[0] += "\u00a0six";
  auto checks = CheckContent(req, c, lookup, "enr_1");
  EXPECT_EQ(checks.reflection[0].words, 6);
  EXPECT_TRUE(checks.reflection[0].over_limit);
  EXPECT_EQ(Pointers(checks.problems), std::set<std::string>{"/reflection/0"});
}

TEST_F(ContentCheck, ArtifactCountsPerRequirement) {
  auto c = Complete();
  AddFile("fil_img", ArtifactKind::kImage);
  AddFile("fil_img2", ArtifactKind::kImage);
  c.artifacts.push_back({0, "fil_img", "", "", false, true});
  EXPECT_TRUE(CheckContent(req, c, lookup, "enr_1").ready());
  c.artifacts.push_back({0, "fil_img2", "", "", false, true});  // max is 2
  auto checks = CheckContent(req, c, lookup, "enr_1");
  EXPECT_EQ(checks.artifacts[0].count, 3);
  EXPECT_EQ(Pointers(checks.problems), std::set<std::string>{"/artifacts"});
}

TEST_F(ContentCheck, KindsConsentAndOwnership) {
  auto c = Complete();
  AddFile("fil_vid", ArtifactKind::kVideo);
  AddFile("fil_img", ArtifactKind::kImage);
  AddFile("fil_other", ArtifactKind::kDocument, "enr_someone_else");
  c.artifacts = {{0, "fil_vid", "", "", false, true},     // video not accepted
                 {0, "fil_img", "", "", false, false}};  // image without consent
  auto checks = CheckContent(req, c, lookup, "enr_1");
  EXPECT_EQ(Pointers(checks.problems),
            (std::set<std::string>{"/artifacts/0/file_id", "/artifacts/1/consent_attested"}));
  EXPECT_TRUE(checks.malformed.empty());

  c.artifacts = {{0, "fil_other", "", "", false, false}, {0, "fil_nope", "", "", false, false},
                 {7, "fil_doc", "", "", false, false}};
  checks = CheckContent(req, c, lookup, "enr_1");
  EXPECT_EQ(Pointers(checks.malformed),
            (std::set<std::string>{"/artifacts/0/file_id", "/artifacts/1/file_id",
                                   "/artifacts/2/requirement"}));
}

TEST_F(ContentCheck, DeletedFilesAndLinks) {
  auto c = Complete();
  files["fil_doc"].deleted = true;
  EXPECT_EQ(Pointers(CheckContent(req, c, lookup, "enr_1").problems),
            std::set<std::string>{"/artifacts/0/file_id"});
  c.artifacts = {{0, "", "https://example.org/ticket", "", false, false}};
  EXPECT_EQ(Pointers(CheckContent(req, c, lookup, "enr_1").problems),
            std::set<std::string>{"/artifacts/0/url"});  // links not accepted here
  req.artifacts[0].accepted_kinds.push_back(ArtifactKind::kLink);
  EXPECT_TRUE(CheckContent(req, c, lookup, "enr_1").ready());
  c.artifacts[0].url = "javascript:alert(1)";
  EXPECT_EQ(Pointers(CheckContent(req, c, lookup, "enr_1").malformed),
            std::set<std::string>{"/artifacts/0/url"});
  c.artifacts[0].file_id = "fil_doc";
  EXPECT_EQ(Pointers(CheckContent(req, c, lookup, "enr_1").malformed),
            std::set<std::string>{"/artifacts/0"});
}

TEST_F(ContentCheck, AnswersBeyondTheQuestionsAreMalformed) {
  auto c = Complete();
  c.overview.push_back("extra");
  EXPECT_EQ(Pointers(CheckContent(req, c, lookup, "enr_1").malformed),
            std::set<std::string>{"/overview/1"});
}

TEST(SubmissionStates, TransitionsFollowTheMachine) {
  using S = SubmissionState;
  EXPECT_TRUE(CanTransition(S::kSubmitted, S::kInReview));
  EXPECT_TRUE(CanTransition(S::kSubmitted, S::kWithdrawn));
  EXPECT_FALSE(CanTransition(S::kInReview, S::kWithdrawn));
  EXPECT_TRUE(CanTransition(S::kInReview, S::kEarned));
  EXPECT_TRUE(CanTransition(S::kInReview, S::kReturned));
  for (S final : {S::kReturned, S::kWithdrawn, S::kEarned, S::kNotYet})
    for (S to : {S::kSubmitted, S::kInReview, S::kReturned, S::kWithdrawn, S::kEarned, S::kNotYet})
      EXPECT_FALSE(CanTransition(final, to));

  Submission s;
  const TimePoint t = std::chrono::system_clock::now();
  ASSERT_TRUE(Transition(s, S::kInReview, t).ok());
  auto bad = Transition(s, S::kWithdrawn, t);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidState);
  ASSERT_TRUE(Transition(s, S::kReturned, t, "the video does not play").ok());
  EXPECT_EQ(s.return_reason, "the video does not play");
  ASSERT_EQ(s.timeline.size(), 2u);
  EXPECT_EQ(s.timeline[1].state, "returned");
  Submission d;
  ASSERT_TRUE(Transition(d, S::kNotYet, t).ok());
  EXPECT_EQ(d.decided_at, t);
}

TEST(SubmissionStates, NamesRoundTrip) {
  for (auto s : {SubmissionState::kSubmitted, SubmissionState::kInReview, SubmissionState::kReturned,
                 SubmissionState::kWithdrawn, SubmissionState::kEarned, SubmissionState::kNotYet})
    EXPECT_EQ(ParseSubmissionState(ToString(s)), s);
  EXPECT_EQ(ToString(SubmissionState::kInReview), "in_review");
  EXPECT_FALSE(ParseSubmissionState("done"));
  EXPECT_EQ(ParseEnrolmentState("earned"), EnrolmentState::kEarned);
}

TEST(AttemptCap, CoachGrantsOneMoreEach) {
  Enrolment e;
  e.attempt_cap = 2;
  EXPECT_EQ(AttemptsLeft(e), 2);
  e.attempts_used = 2;
  EXPECT_TRUE(CapReached(e));
  e.coach_grants = 1;
  EXPECT_FALSE(CapReached(e));
  EXPECT_EQ(AttemptsLeft(e), 1);
  e.attempts_used = 3;
  EXPECT_TRUE(CapReached(e));
}

TEST(NextStep, FollowsTheEducatorsSituation) {
  Enrolment e;
  Draft draft;
  Submission latest;
  EXPECT_EQ(NextStep(e, std::nullopt, std::nullopt), "start");
  draft.revision = 3;
  EXPECT_EQ(NextStep(e, draft, std::nullopt), "continue draft");
  latest.state = SubmissionState::kInReview;
  EXPECT_EQ(NextStep(e, draft, latest), "in review");
  latest.state = SubmissionState::kReturned;
  EXPECT_EQ(NextStep(e, draft, latest), "resubmit");
  latest.state = SubmissionState::kNotYet;
  e.attempts_used = 3;
  EXPECT_EQ(NextStep(e, draft, latest), "meet coach");
  e.coach_grants = 1;
  EXPECT_EQ(NextStep(e, draft, latest), "resubmit");
  latest.state = SubmissionState::kWithdrawn;
  EXPECT_EQ(NextStep(e, draft, latest), "continue draft");
  e.state = EnrolmentState::kEarned;
  EXPECT_EQ(NextStep(e, draft, latest), "earned");
}

TEST(SubmissionCode, EightUnambiguousCharactersAndRandom) {
  testing::RandomIdGenerator ids;
  std::set<std::string> seen;
  std::map<char, int> counts;
  for (int i = 0; i < 2000; ++i) {
    const std::string code = NewSubmissionCode(ids);
    ASSERT_EQ(code.size(), 9u);
    ASSERT_EQ(code[4], '-');
    for (std::size_t k = 0; k < code.size(); ++k) {
      if (k == 4) continue;
      ASSERT_NE(kCodeAlphabet.find(code[k]), std::string_view::npos) << code;
      ++counts[code[k]];
    }
    seen.insert(code);
  }
  EXPECT_EQ(seen.size(), 2000u);
  // Every letter of the alphabet turns up, none of 0 O 1 I L.
  EXPECT_EQ(counts.size(), kCodeAlphabet.size());
  for (char c : std::string("0O1IL")) EXPECT_EQ(counts.count(c), 0u);
}

// A fixed id generator shows the code depends on fresh randomness only: two calls differ.
class CountingIds : public IdGenerator {
 public:
  std::string NewId(std::string_view prefix) override {
    return std::string(prefix) + "_" + std::string(5, static_cast<char>('a' + (n_++ % 26)));
  }

 private:
  int n_ = 0;
};

TEST(SubmissionCode, DrawsMoreRandomnessWhenAnIdIsShort) {
  CountingIds ids;
  const std::string code = NewSubmissionCode(ids);
  EXPECT_EQ(code.size(), 9u);
  EXPECT_NE(code, NewSubmissionCode(ids));
}

}  // namespace
}  // namespace cairn::core::evidence
