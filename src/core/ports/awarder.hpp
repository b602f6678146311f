#pragma once
// Awarding a credential happens inside the transaction that records the Earned decision, so a
// decision and its credential commit together or not at all. The review workflow calls it; the
// credentials slice implements it (keys, serializer, signing, status index).
#include <string>
#include <vector>

#include "core/catalog/rubric.hpp"
#include "core/common/clock.hpp"
#include "core/common/result.hpp"

namespace cairn::core {

class Transaction;

struct AwardRequest {
  std::string submission_id;
  std::string enrolment_id;
  std::string user_id;  // the educator
  std::string micro_credential_id;
  int version = 0;
  std::string issuer_id;
  std::vector<std::string> shareable_file_ids;           // evidence the educator marked shareable
  std::vector<catalog::CriterionRating> final_ratings;  // the deciding review's levels
  TimePoint awarded_at{};
};

class Awarder {
 public:
  virtual ~Awarder() = default;
  // Idempotent per submission: a second call returns the credential id issued the first time.
  virtual Result<std::string> Award(Transaction& tx, const AwardRequest& request) = 0;
};

}  // namespace cairn::core
