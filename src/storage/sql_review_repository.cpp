#include "core/review/review_repository.hpp"
#include "storage/repositories.hpp"

namespace cairn::storage {

// Placeholder until the area's helper lands its SQL repository.
std::unique_ptr<core::review::ReviewRepository> MakeReviewRepository(Tx&) { return nullptr; }

}  // namespace cairn::storage
