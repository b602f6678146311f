#include "core/review/review.hpp"

#include <algorithm>
#include <utility>

namespace cairn::core::review {
namespace {

constexpr std::pair<ReviewState, std::string_view> kStateNames[] = {
    {ReviewState::kAssigned, "assigned"},   {ReviewState::kInProgress, "in_progress"},
    {ReviewState::kCompleted, "completed"}, {ReviewState::kReturned, "returned"},
    {ReviewState::kRecused, "recused"},     {ReviewState::kReleased, "released"},
    {ReviewState::kCancelled, "cancelled"}, {ReviewState::kUnassigned, "unassigned"},
};

Status RequireOpen(const Review& r) {
  if (r.state == ReviewState::kCompleted) return Error::Conflict("the review is already completed");
  if (!IsOpen(r.state))
    return Error::InvalidState("the review is " + std::string(ToString(r.state)));
  return Ok();
}

// A review that holds its place on the submission: open, or done.
bool Holds(const Review& r) { return IsOpen(r.state) || r.state == ReviewState::kCompleted; }

}  // namespace

std::string_view ToString(ReviewState s) {
  for (const auto& [state, name] : kStateNames)
    if (state == s) return name;
  return "assigned";
}

std::optional<ReviewState> ParseReviewState(std::string_view text) {
  for (const auto& [state, name] : kStateNames)
    if (name == text) return state;
  return std::nullopt;
}

bool IsOpen(ReviewState s) { return s == ReviewState::kAssigned || s == ReviewState::kInProgress; }

Status Review::Save(std::vector<Rating> new_ratings, std::string new_comment, TimePoint now) {
  if (auto s = RequireOpen(*this); !s.ok()) return s;
  ratings = std::move(new_ratings);
  comment = std::move(new_comment);
  if (!started_at) started_at = now;
  state = ReviewState::kInProgress;
  ++revision;
  return Ok();
}

Status Review::Complete(std::string_view confirmed_recommendation, TimePoint now) {
  if (auto s = RequireOpen(*this); !s.ok()) return s;
  if (confirmed_recommendation != kEarned && confirmed_recommendation != kNotYet)
    return Error::InvalidInput("a recommendation is earned or not_yet");
  recommendation = std::string(confirmed_recommendation);
  if (!started_at) started_at = now;
  closed_at = now;
  state = ReviewState::kCompleted;
  ++revision;
  return Ok();
}

Status Review::Close(ReviewState to, std::string reason, TimePoint now) {
  if (auto s = RequireOpen(*this); !s.ok()) return s;
  if (IsOpen(to) || to == ReviewState::kCompleted)
    return Error::Internal("Close needs a closing state, not " + std::string(ToString(to)));
  if (to == ReviewState::kUnassigned && state != ReviewState::kAssigned)
    return Error::InvalidState("only an unstarted review can be unassigned; this one is " +
                               std::string(ToString(state)));
  state = to;
  close_reason = std::move(reason);
  closed_at = now;
  ++revision;
  return Ok();
}

Need NeedOf(const std::vector<Review>& reviews) {
  int base_held = 0, tie_held = 0;
  std::vector<const Review*> base_done;
  for (const auto& r : reviews) {
    if (!Holds(r)) continue;
    if (r.tie_break) {
      ++tie_held;
    } else {
      ++base_held;
      if (r.state == ReviewState::kCompleted) base_done.push_back(&r);
    }
  }
  if (base_done.size() >= 2 && base_done[0]->recommendation != base_done[1]->recommendation)
    return {std::max(0, 1 - tie_held), true};
  return {std::max(0, 2 - base_held), false};
}

std::optional<Outcome> DecisionOf(const std::vector<Review>& reviews) {
  std::vector<const Review*> base_done;
  for (const auto& r : reviews) {
    if (r.state != ReviewState::kCompleted) continue;
    if (r.tie_break) return Outcome{r.recommendation, r.id, true};
    base_done.push_back(&r);
  }
  if (base_done.size() < 2 || base_done[0]->recommendation != base_done[1]->recommendation)
    return std::nullopt;
  const Review* later =
      base_done[1]->closed_at >= base_done[0]->closed_at ? base_done[1] : base_done[0];
  return Outcome{later->recommendation, later->id, false};
}

}  // namespace cairn::core::review
