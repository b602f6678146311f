#include "core/evidence/evidence.hpp"
#include "storage/repositories.hpp"

namespace cairn::storage {

// Placeholder until the area's helper lands its SQL repository.
std::unique_ptr<core::evidence::EvidenceRepository> MakeEvidenceRepository(Tx&) { return nullptr; }

}  // namespace cairn::storage
