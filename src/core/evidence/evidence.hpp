#pragma once
// The educator's side of the loop: an enrolment pins a published micro-credential version; its
// draft is the workspace (saved on the server, guarded by a revision number); submitting freezes
// the draft into an immutable attempt that reviewers score.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/clock.hpp"
#include "core/common/result.hpp"

namespace cairn::core::evidence {

enum class EnrolmentState { kActive, kEarned, kClosed };
std::string_view ToString(EnrolmentState s);
std::optional<EnrolmentState> ParseEnrolmentState(std::string_view text);

struct Enrolment {
  std::string id;  // "enr_…"
  std::string user_id;
  std::string micro_credential_id;
  int version = 0;  // the pinned published version
  std::string issuer_id;
  EnrolmentState state = EnrolmentState::kActive;
  int attempts_used = 0;  // attempts that count toward the cap (returned/withdrawn ones do not)
  int attempt_cap = 3;    // copied from the micro-credential when enrolling
  int coach_grants = 0;   // each recorded coach meeting allows one attempt past the cap
  std::optional<TimePoint> due_at;  // only when the educator's district sets a time frame
  TimePoint created_at{};
  TimePoint updated_at{};
};

// One artifact the educator attached to a requirement (Part 2). Either a file or a link.
struct ArtifactEntry {
  int requirement = 0;  // index into SubmissionRequirements::artifacts
  std::string file_id;  // "fil_…" (an EvidenceFile of the same enrolment)
  std::string url;      // for link artifacts
  std::string caption;
  bool shareable = false;         // may appear as evidence on the public credential
  bool consent_attested = false;  // consent obtained for student images and recordings
};

// The three parts; index i answers overview question / reflection prompt i.
struct SubmissionContent {
  std::vector<std::string> overview;
  std::vector<ArtifactEntry> artifacts;
  std::vector<std::string> reflection;
};

struct Draft {
  std::string enrolment_id;
  std::int64_t revision = 0;  // 0 = never saved; every save bumps it
  SubmissionContent content;
  TimePoint updated_at{};
  std::int64_t submitted_revision = 0;  // the revision last frozen into an attempt (0 = none)
};

// One entry of a draft's saved history.
struct DraftRevision {
  std::int64_t revision = 0;
  TimePoint saved_at{};
  SubmissionContent content;
};

// A recorded coach meeting; each lets the educator submit once more past the attempt cap.
struct CoachSession {
  std::string id;  // "cch_…"
  std::string enrolment_id;
  std::string coach_id;  // the issuer admin who recorded it
  std::string note;
  TimePoint at{};
};

// A district's time frame for its educators' new enrolments.
struct EnrolmentPolicy {
  std::string organization_id;
  std::optional<int> days;  // nullopt: no time frame
  std::string updated_by;
  TimePoint updated_at{};
};

enum class SubmissionState {
  kSubmitted,  // waiting for reviewers
  kInReview,   // at least one reviewer assigned
  kReturned,   // a reviewer returned it as incomplete or unplayable; the attempt does not count
  kWithdrawn,  // the educator withdrew it before review started; the attempt does not count
  kEarned,
  kNotYet,
};
std::string_view ToString(SubmissionState s);
std::optional<SubmissionState> ParseSubmissionState(std::string_view text);
bool IsFinal(SubmissionState s);  // returned, withdrawn, earned, not yet

struct TimelineEvent {
  std::string state;  // "submitted", "in_review", "returned", "withdrawn", "earned", "not_yet", …
  TimePoint at{};
  std::string note;  // e.g. the return reason; never a reviewer's identity
};

struct Submission {
  std::string id;    // "sub_…"
  std::string code;  // pseudonymous, shown to reviewers, e.g. "K7QX-42MB"; unrelated to any id
  std::string enrolment_id;
  std::string user_id;
  std::string micro_credential_id;
  int version = 0;
  std::string issuer_id;
  int attempt = 1;  // 1, 2, … in submission order
  SubmissionState state = SubmissionState::kSubmitted;
  SubmissionContent content;  // frozen at submit
  std::string school_id;      // the educator's school and district at submit, for conflict rules
  std::string district_id;
  std::string return_reason;  // set when returned
  TimePoint submitted_at{};
  std::optional<TimePoint> decided_at;
  std::vector<TimelineEvent> timeline;
};

// The educator-side storage port. Methods throw on driver errors (the UnitOfWork turns them into
// domain errors); "not found" is an empty optional, a stale revision is `false`.
class EvidenceRepository {
 public:
  virtual ~EvidenceRepository() = default;

  virtual void InsertEnrolment(const Enrolment& e) = 0;
  virtual void UpdateEnrolment(const Enrolment& e) = 0;
  virtual std::optional<Enrolment> FindEnrolment(const std::string& id) = 0;
  // The user's enrolment in a micro-credential that is not closed, if any.
  virtual std::optional<Enrolment> FindOpenEnrolment(const std::string& user_id,
                                                     const std::string& micro_credential_id) = 0;
  virtual std::vector<Enrolment> ListEnrolments(const std::string& user_id) = 0;
  // Enrolments in an issuer's micro-credentials, newest first.
  virtual std::vector<Enrolment> ListIssuerEnrolments(const std::string& issuer_id, int limit) = 0;

  virtual std::optional<Draft> FindDraft(const std::string& enrolment_id) = 0;
  // Saves when the stored revision equals expected_revision (0 for the first save); false when
  // someone saved in between. draft.revision is the new revision.
  // Every save also lands in the history, of which the newest kHistoryKept revisions stay.
  virtual bool SaveDraft(const Draft& draft, std::int64_t expected_revision) = 0;
  // Records that revision was frozen into an attempt.
  virtual void MarkDraftSubmitted(const std::string& enrolment_id, std::int64_t revision) = 0;
  // The saved history, newest first, without contents; and one revision with its content.
  virtual std::vector<DraftRevision> ListDraftRevisions(const std::string& enrolment_id,
                                                        int limit) = 0;
  virtual std::optional<DraftRevision> FindDraftRevision(const std::string& enrolment_id,
                                                         std::int64_t revision) = 0;
  static constexpr int kHistoryKept = 200;

  virtual void InsertSubmission(const Submission& s) = 0;
  // Records a state change, appending the last timeline event of s (evidence::Transition in
  // core/evidence/rules.hpp checks the move and appends that event).
  virtual void UpdateSubmission(const Submission& s) = 0;
  virtual std::optional<Submission> FindSubmission(const std::string& id) = 0;
  virtual std::vector<Submission> ListSubmissions(const std::string& enrolment_id) = 0;
  // Submissions of an issuer's micro-credentials in the given states, oldest first.
  virtual std::vector<Submission> ListIssuerSubmissions(const std::string& issuer_id,
                                                        const std::vector<SubmissionState>& states,
                                                        int limit) = 0;

  virtual void InsertCoachSession(const CoachSession& c) = 0;
  virtual std::vector<CoachSession> ListCoachSessions(const std::string& enrolment_id) = 0;

  virtual void SaveEnrolmentPolicy(const EnrolmentPolicy& p) = 0;
  virtual std::optional<EnrolmentPolicy> FindEnrolmentPolicy(const std::string& organization_id) = 0;
};

}  // namespace cairn::core::evidence
