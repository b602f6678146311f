#include "core/ports/jobs.hpp"
#include "storage/repositories.hpp"

namespace cairn::storage {

// Placeholder until the area's helper lands its SQL repository.
std::unique_ptr<core::jobs::JobRepository> MakeJobRepository(Tx&) { return nullptr; }

}  // namespace cairn::storage
