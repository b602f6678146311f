#pragma once
// The unit of work: every state change runs inside one Transaction, which also carries the
// audit log, so a change and its audit record commit or roll back together.
#include <functional>
#include <string>

#include "core/common/clock.hpp"
#include "core/common/result.hpp"

namespace cairn::core {

namespace identity { class IdentityRepository; }
namespace catalog { class CatalogRepository; }
namespace evidence { class EvidenceRepository; class FileRepository; }
namespace review { class ReviewRepository; }
namespace jobs { class JobRepository; }
namespace notify { class NotificationRepository; }
namespace awards { class AwardRepository; }

struct AuditRecord {
  std::string actor_id;     // public user id, or "system"
  std::string action;       // e.g. "microcredential.publish"
  std::string entity_type;  // e.g. "microcredential"
  std::string entity_id;    // public id
  std::string from_state;   // empty when not a state change
  std::string to_state;
  std::string detail_json;  // small JSON object; never secrets or evidence contents
  TimePoint at;
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;
  virtual void Append(const AuditRecord& record) = 0;
};

class Transaction {
 public:
  virtual ~Transaction() = default;
  virtual identity::IdentityRepository& Identity() = 0;
  virtual catalog::CatalogRepository& Catalog() = 0;
  virtual evidence::EvidenceRepository& Evidence() = 0;
  virtual evidence::FileRepository& Files() = 0;
  virtual review::ReviewRepository& Reviews() = 0;
  virtual jobs::JobRepository& Jobs() = 0;
  virtual notify::NotificationRepository& Notifications() = 0;
  virtual awards::AwardRepository& Awards() = 0;
  virtual AuditLog& Audit() = 0;
};

class UnitOfWork {
 public:
  virtual ~UnitOfWork() = default;
  // Commits when fn returns ok; rolls back when it returns an error or throws. Driver errors come
  // back as domain errors (a unique-key violation is kConflict).
  virtual Status Write(const std::function<Status(Transaction&)>& fn) = 0;
  // A read-only transaction with a consistent snapshot.
  virtual Status Read(const std::function<Status(Transaction&)>& fn) = 0;
};

}  // namespace cairn::core
