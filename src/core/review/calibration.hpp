#pragma once
// How well a reviewer's recommendations match the final decisions: agreement rate and Cohen's kappa
// over the 2×2 table of (reviewer said Earned?, decision was Earned?).
#include <optional>
#include <string>
#include <vector>

namespace cairn::core::review {

struct AgreementTable {
  int both_earned = 0;           // reviewer Earned, decision Earned
  int reviewer_earned_only = 0;  // reviewer Earned, decision Not yet
  int decision_earned_only = 0;  // reviewer Not yet, decision Earned
  int both_not_yet = 0;

  int Total() const {
    return both_earned + reviewer_earned_only + decision_earned_only + both_not_yet;
  }
  void Add(bool reviewer_earned, bool decision_earned);
};

struct Calibration {
  int decided_reviews = 0;
  std::optional<double> agreement_rate;  // null with no decided reviews
  // null when undefined: fewer than 2 decided reviews, or chance agreement p_e = 1 (both sides
  // always gave the same single answer), where kappa would divide by zero.
  std::optional<double> kappa;
};

Calibration Calibrate(const AgreementTable& table);

}  // namespace cairn::core::review
