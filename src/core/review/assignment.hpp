#pragma once
// Reviewer assignment: which reviewers get which open review slots. Pure computation, no I/O; the
// app layer loads the slots and the reviewer pool, calls AssignReviewers and stores the plan.
//
// The objective, in order: (1) fill as many review slots as possible; (2) among those plans, serve
// the earliest due dates first; (3) among those, balance load by the convex MarginalLoadCost.
// Conflict-of-interest and qualification rules are hard constraints (IsEligible); admin overrides
// are fixed before anything else is decided.
#include <cstdint>
#include <string>
#include <vector>

#include "core/common/clock.hpp"
#include "core/common/result.hpp"

namespace cairn::core::review {

// Two independent reviews, and a third one when they disagree, is the most a submission asks for.
inline constexpr int kMaxReviewersPerSubmission = 3;

struct ReviewSlot {
  std::string submission_id;
  std::string micro_credential_id;
  std::vector<std::string> tags;  // the micro-credential's tags
  std::string educator_id;        // the submitting educator's user id
  std::string school_id;
  std::string district_id;
  bool never_same_district = false;  // the issuer's rule: districts review each other's work
  int reviewers_needed = 2;
  std::vector<std::string> excluded_reviewer_ids;  // reviewers already on this submission
  TimePoint due;
};

struct Reviewer {
  std::string id;  // the reviewer's user id, comparable to ReviewSlot::educator_id
  std::string school_id;
  std::string district_id;
  std::vector<std::string> micro_credential_ids;  // qualified for these micro-credentials
  std::vector<std::string> tags;                  // and for any micro-credential with these tags
  int open_load = 0;
  int load_cap = 0;
};

// An issuer admin's fixed choice. It is kept as given (even past the reviewer's cap, or across a
// school or district rule, which is what an override is for), except that nobody reviews their own
// submission or reviews the same submission twice.
struct Override {
  std::string submission_id;
  std::string reviewer_id;
};

struct AssignmentInput {
  std::vector<ReviewSlot> slots;
  std::vector<Reviewer> reviewers;
  std::vector<Override> overrides;
};

struct Assignment {
  std::string submission_id;
  std::string reviewer_id;
  bool by_override = false;
};

enum class UnassignedReason {
  kNoEligibleReviewer,       // nobody in the pool passes the rules for this submission
  kTooFewEligibleReviewers,  // fewer eligible reviewers than reviews needed
  kAllEligibleAtCapacity,    // enough eligible reviewers, but their load caps are used up
};

struct Unassigned {
  std::string submission_id;
  int missing = 0;  // review slots of this submission left open
  UnassignedReason reason = UnassignedReason::kNoEligibleReviewer;
};

struct AssignmentStats {
  int slots_requested = 0;  // open slots after overrides
  int slots_assigned = 0;   // by this run, overrides not counted
  int submission_classes = 0;
  std::int64_t class_edges = 0;
  int searches = 0;     // breadth-first searches of the residual network
  int refinements = 0;  // re-solves after splitting classes by due rank
  std::int64_t load_cost = 0;  // sum of MarginalLoadCost over the automatic assignments
};

struct AssignmentPlan {
  std::vector<Assignment> assignments;  // slot order, then reviewer order; overrides included
  std::vector<Unassigned> unassigned;   // slot order
  std::vector<int> reviewer_load;       // final open load, in the order of input.reviewers
  AssignmentStats stats;
};

// The conflict-of-interest and qualification rules for one reviewer on one slot.
bool IsEligible(const ReviewSlot& slot, const Reviewer& reviewer);

// The cost of giving a reviewer with `load` open reviews one more, for a cap of `cap`: it grows
// with load/cap (in steps of 5 % of the cap), so the total is convex and a reviewer near the cap
// costs more than an idle one.
std::int64_t MarginalLoadCost(int load, int cap);

std::string_view ToString(UnassignedReason reason);

// The optimal plan: min-cost max-flow over classes of slots with the same eligible reviewers and
// need, expanded to distinct reviewers per submission. Exact for the objective above (checked
// against brute force in the tests). Deterministic: the same input gives the same plan.
Result<AssignmentPlan> AssignReviewers(const AssignmentInput& input);

// The baseline: slots by due date, each review to the least-loaded eligible reviewer with room.
Result<AssignmentPlan> AssignReviewersGreedy(const AssignmentInput& input);

}  // namespace cairn::core::review
