#include "core/evidence/evidence.hpp"

#include <array>
#include <utility>

namespace cairn::core::evidence {
namespace {

constexpr std::array<std::pair<EnrolmentState, std::string_view>, 3> kEnrolmentStates{{
    {EnrolmentState::kActive, "active"},
    {EnrolmentState::kEarned, "earned"},
    {EnrolmentState::kClosed, "closed"},
}};

constexpr std::array<std::pair<SubmissionState, std::string_view>, 6> kSubmissionStates{{
    {SubmissionState::kSubmitted, "submitted"},
    {SubmissionState::kInReview, "in_review"},
    {SubmissionState::kReturned, "returned"},
    {SubmissionState::kWithdrawn, "withdrawn"},
    {SubmissionState::kEarned, "earned"},
    {SubmissionState::kNotYet, "not_yet"},
}};

template <class E, std::size_t N>
std::string_view Name(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [v, name] : table)
    if (v == value) return name;
  return "unknown";
}

template <class E, std::size_t N>
std::optional<E> Parse(const std::array<std::pair<E, std::string_view>, N>& table,
                       std::string_view text) {
  for (const auto& [v, name] : table)
    if (name == text) return v;
  return std::nullopt;
}

}  // namespace

std::string_view ToString(EnrolmentState s) { return Name(kEnrolmentStates, s); }
std::optional<EnrolmentState> ParseEnrolmentState(std::string_view text) {
  return Parse(kEnrolmentStates, text);
}
std::string_view ToString(SubmissionState s) { return Name(kSubmissionStates, s); }
std::optional<SubmissionState> ParseSubmissionState(std::string_view text) {
  return Parse(kSubmissionStates, text);
}

bool IsFinal(SubmissionState s) {
  return s != SubmissionState::kSubmitted && s != SubmissionState::kInReview;
}

}  // namespace cairn::core::evidence
