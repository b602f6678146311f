#pragma once
// The review rule one submission gets: its issuer's policy, and where the issuer lets districts
// choose, the educator's district's own deadline and conflict-of-interest rule. A district can
// only add the never-same-district rule, never lift the issuer's.
#include "core/review/review_repository.hpp"

namespace cairn::core::review {

struct ReviewRule {
  int sla_days = 14;
  bool never_same_district = false;
  bool district_applies = false;  // the issuer allows it and the district has chosen
};

// district is null when the educator has no district or the district chose nothing.
ReviewRule RuleFor(const ReviewPolicy& issuer, const DistrictReviewPreferences* district);

}  // namespace cairn::core::review
