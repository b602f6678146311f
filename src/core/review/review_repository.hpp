#pragma once
// Reviews, the reviewer pool, issuer review policies, calibration and the ledger. The review slice
// owns this port and fills it in.
namespace cairn::core::review {

class ReviewRepository {
 public:
  virtual ~ReviewRepository() = default;
};

}  // namespace cairn::core::review
