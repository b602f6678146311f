#pragma once
// One reviewer's review of one submission, its lifecycle verbs, and the two rules of the loop that
// read a submission's reviews together: how many reviewers it still needs (two independent ones,
// a third when they disagree) and what they decided.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/clock.hpp"
#include "core/common/result.hpp"

namespace cairn::core::review {

enum class ReviewState {
  kAssigned,    // waiting for the reviewer's first save
  kInProgress,  // saved at least once
  kCompleted,
  kReturned,    // the reviewer returned the submission as incomplete or unplayable
  kRecused,     // the reviewer stepped aside; the slot is reassigned
  kReleased,    // past its due date: the late reviewer is freed, the slot reassigned
  kCancelled,   // the submission was withdrawn, returned or decided without this review
  kUnassigned,  // an issuer admin took the unstarted review back
};
std::string_view ToString(ReviewState s);
std::optional<ReviewState> ParseReviewState(std::string_view text);
// Assigned or in progress: it holds a slot and counts toward the reviewer's load.
bool IsOpen(ReviewState s);

inline constexpr std::string_view kEarned = "earned";
inline constexpr std::string_view kNotYet = "not_yet";

struct Rating {
  std::string criterion_id;
  std::string level_id;
  std::string comment;
};

struct Review {
  std::string id;  // "rev_…"
  std::string submission_id;
  std::string issuer_id;
  std::string micro_credential_id;
  int version = 0;
  std::string reviewer_id;
  ReviewState state = ReviewState::kAssigned;
  bool tie_break = false;     // the third review that settles a disagreement
  bool by_override = false;   // an issuer admin chose this reviewer
  std::int64_t revision = 0;  // bumped by every change
  std::vector<Rating> ratings;
  std::string comment;
  std::string recommendation;  // "earned" / "not_yet" once completed
  std::string close_reason;    // recuse / return reason, "overdue", …
  TimePoint assigned_at{};
  TimePoint due_at{};
  std::optional<TimePoint> started_at;
  std::optional<TimePoint> closed_at;  // completed, returned, recused, released, cancelled

  // The verbs check the current state: completing twice is kConflict, anything else on a closed
  // review kInvalidState. Each bumps the revision.
  Status Save(std::vector<Rating> new_ratings, std::string new_comment, TimePoint now);
  Status Complete(std::string_view confirmed_recommendation, TimePoint now);
  // Ends an open review without a recommendation: returned, recused, released, cancelled or
  // unassigned (only while still assigned).
  Status Close(ReviewState to, std::string reason, TimePoint now);
};

// How many more reviewers a submission needs, and whether that one is the tie-break.
struct Need {
  int missing = 0;
  bool tie_break = false;
};
Need NeedOf(const std::vector<Review>& reviews);

// What the completed reviews decide, if anything: the tie-break's recommendation, or that of two
// agreeing reviews, settled by the later of the two.
struct Outcome {
  std::string decision;
  std::string deciding_review_id;
  bool tie_break = false;
};
std::optional<Outcome> DecisionOf(const std::vector<Review>& reviews);

}  // namespace cairn::core::review
