#include "core/review/calibration.hpp"

#include <cmath>

namespace cairn::core::review {

void AgreementTable::Add(bool reviewer_earned, bool decision_earned) {
  if (reviewer_earned && decision_earned)
    ++both_earned;
  else if (reviewer_earned)
    ++reviewer_earned_only;
  else if (decision_earned)
    ++decision_earned_only;
  else
    ++both_not_yet;
}

Calibration Calibrate(const AgreementTable& t) {
  Calibration c;
  const int n = t.Total();
  c.decided_reviews = n;
  if (n == 0) return c;
  const double total = n;
  const double p_o = (t.both_earned + t.both_not_yet) / total;
  c.agreement_rate = p_o;
  if (n < 2) return c;
  const double reviewer_yes = (t.both_earned + t.reviewer_earned_only) / total;
  const double decision_yes = (t.both_earned + t.decision_earned_only) / total;
  const double p_e = reviewer_yes * decision_yes + (1 - reviewer_yes) * (1 - decision_yes);
  if (std::abs(1 - p_e) < 1e-12) return c;
  c.kappa = (p_o - p_e) / (1 - p_e);
  return c;
}

}  // namespace cairn::core::review
