#include "core/review/review_rule.hpp"

namespace cairn::core::review {

ReviewRule RuleFor(const ReviewPolicy& issuer, const DistrictReviewPreferences* district) {
  ReviewRule rule{issuer.sla_days, issuer.never_same_district, false};
  if (!issuer.allow_district_preferences || !district) return rule;
  rule.district_applies = true;
  if (district->sla_days) rule.sla_days = *district->sla_days;
  rule.never_same_district = issuer.never_same_district || district->never_same_district;
  return rule;
}

}  // namespace cairn::core::review
