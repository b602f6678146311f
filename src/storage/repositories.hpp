#pragma once
// Factories for the SQL repositories of each area, bound to one open transaction. Each area
// defines its factory in its own source file.
#include <memory>

#include "storage/database.hpp"

namespace cairn::core {
namespace evidence { class EvidenceRepository; class FileRepository; }
namespace review { class ReviewRepository; }
namespace jobs { class JobRepository; }
namespace notify { class NotificationRepository; }
namespace awards { class AwardRepository; }
}  // namespace cairn::core

namespace cairn::storage {

std::unique_ptr<core::evidence::EvidenceRepository> MakeEvidenceRepository(Tx& tx);
std::unique_ptr<core::evidence::FileRepository> MakeFileRepository(Tx& tx);
std::unique_ptr<core::review::ReviewRepository> MakeReviewRepository(Tx& tx);
std::unique_ptr<core::jobs::JobRepository> MakeJobRepository(Tx& tx);
std::unique_ptr<core::notify::NotificationRepository> MakeNotificationRepository(Tx& tx);
std::unique_ptr<core::awards::AwardRepository> MakeAwardRepository(Tx& tx);

}  // namespace cairn::storage
