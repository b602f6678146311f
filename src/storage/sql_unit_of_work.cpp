#include "storage/sql_unit_of_work.hpp"

#include <memory>
#include <stdexcept>

#include "core/awards/award_repository.hpp"
#include "core/evidence/evidence.hpp"
#include "core/evidence/file.hpp"
#include "core/ports/jobs.hpp"
#include "core/ports/notifications.hpp"
#include "core/review/review_repository.hpp"
#include "storage/catalog_repository.hpp"
#include "storage/repositories.hpp"
#include "storage/identity_repository.hpp"
#include "storage/sql_audit_log.hpp"

namespace cairn::storage {
namespace {

template <typename T>
T& Lazy(std::unique_ptr<T>& slot, std::unique_ptr<T> (*make)(Tx&), Tx& tx) {
  if (!slot) slot = make(tx);
  if (!slot) throw std::logic_error("repository not available");
  return *slot;
}

// Lives for one run of the transaction function; the repositories only hold the Tx. Those of the
// later areas are built on first use, so a transaction pays only for what it touches.
class SqlTransaction final : public core::Transaction {
 public:
  explicit SqlTransaction(Tx& tx) : tx_(tx), identity_(tx), catalog_(tx), audit_(tx) {}

  core::identity::IdentityRepository& Identity() override { return identity_; }
  core::catalog::CatalogRepository& Catalog() override { return catalog_; }
  core::AuditLog& Audit() override { return audit_; }
  core::evidence::EvidenceRepository& Evidence() override {
    return Lazy(evidence_, &MakeEvidenceRepository, tx_);
  }
  core::evidence::FileRepository& Files() override { return Lazy(files_, &MakeFileRepository, tx_); }
  core::review::ReviewRepository& Reviews() override {
    return Lazy(reviews_, &MakeReviewRepository, tx_);
  }
  core::jobs::JobRepository& Jobs() override { return Lazy(jobs_, &MakeJobRepository, tx_); }
  core::notify::NotificationRepository& Notifications() override {
    return Lazy(notifications_, &MakeNotificationRepository, tx_);
  }
  core::awards::AwardRepository& Awards() override { return Lazy(awards_, &MakeAwardRepository, tx_); }

 private:
  Tx& tx_;
  SqlIdentityRepository identity_;
  SqlCatalogRepository catalog_;
  SqlAuditLog audit_;
  std::unique_ptr<core::evidence::EvidenceRepository> evidence_;
  std::unique_ptr<core::evidence::FileRepository> files_;
  std::unique_ptr<core::review::ReviewRepository> reviews_;
  std::unique_ptr<core::jobs::JobRepository> jobs_;
  std::unique_ptr<core::notify::NotificationRepository> notifications_;
  std::unique_ptr<core::awards::AwardRepository> awards_;
};

}  // namespace

core::Status SqlUnitOfWork::Write(const std::function<core::Status(core::Transaction&)>& fn) {
  return database_.Write([&](Tx& tx) {
    SqlTransaction transaction(tx);
    return fn(transaction);
  });
}

core::Status SqlUnitOfWork::Read(const std::function<core::Status(core::Transaction&)>& fn) {
  return database_.Read([&](Tx& tx) {
    SqlTransaction transaction(tx);
    return fn(transaction);
  });
}

}  // namespace cairn::storage
