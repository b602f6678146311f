#include "core/awards/award_repository.hpp"
#include "storage/repositories.hpp"

namespace cairn::storage {

// Placeholder until the area's helper lands its SQL repository.
std::unique_ptr<core::awards::AwardRepository> MakeAwardRepository(Tx&) { return nullptr; }

}  // namespace cairn::storage
