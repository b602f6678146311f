#pragma once
// Issued credentials, issuer keys and status lists. The credentials slice owns this port.
namespace cairn::core::awards {

class AwardRepository {
 public:
  virtual ~AwardRepository() = default;
};

}  // namespace cairn::core::awards
