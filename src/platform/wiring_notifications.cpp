#include <spdlog/spdlog.h>

#include "app/identity/accounts.hpp"
#include "app/identity/context.hpp"
#include "app/notify/email.hpp"
#include "core/ports/transaction.hpp"
#include "http/handlers/notification_handlers.hpp"
#include "jobs/worker.hpp"
#include "platform/application.hpp"
#include "platform/wiring.hpp"

namespace cairn::platform {

void WireNotifications(Wiring& w) {
  Application& app = w.app;
  http::RegisterNotificationRoutes(w.router, {app.unit_of_work(), app.clock()});

  app::notify::EmailOptions email;
  email.public_url = app.identity().options.public_url;
  email.product_name = app.identity().options.product_name;
  w.app.areas().jobs.handlers[std::string(app::notify::kEmailJobKind)] =
      [&app, email](const core::jobs::Job& job) {
        return app::notify::DeliverEmail(app.unit_of_work(), app.mailer(), email, job.payload);
      };
  // The queue keeps two weeks of finished jobs, enough to look into a failure.
  w.app.areas().jobs.handlers["jobs.purge"] = [&app](const core::jobs::Job&) {
    return app.unit_of_work().Write([&app](core::Transaction& tx) {
      tx.Jobs().PurgeClosed(app.clock().Now() - std::chrono::hours(24 * 14));
      return core::Ok();
    });
  };
  w.app.areas().jobs.periodic.push_back({"jobs.purge", std::chrono::hours(6)});
  w.app.areas().jobs.handlers[std::string(app::identity::kAccountEmailJobKind)] =
      [&app](const core::jobs::Job& job) {
        return app::identity::DeliverAccountEmail(app.identity(), job.payload);
      };
}

std::shared_ptr<void> StartJobWorker(Application& app) {
  const JobRegistry& registry = app.areas().jobs;
  std::vector<jobs::PeriodicKind> periodic;
  for (const auto& p : registry.periodic) periodic.push_back({p.kind, p.every});
  jobs::WorkerOptions options;
  options.poll = std::chrono::milliseconds(std::max(10, app.config().job_poll_ms));
  // Email and quick jobs keep flowing while one long job (a transcode) runs.
  options.threads = 2;
  // One process serves a SQLite database, so jobs left running belong to a run that is gone.
  options.single_process = app.config().UsesSqlite();
  options.log = [](std::string_view line) { spdlog::warn("{}", line); };
  auto worker = std::make_shared<jobs::Worker>(app.unit_of_work(), app.clock(), registry.handlers,
                                               std::move(periodic), std::move(options));
  worker->Start();
  spdlog::info("job worker started: {} kinds, {} periodic, polling every {} ms",
               registry.handlers.size(), registry.periodic.size(), app.config().job_poll_ms);
  return worker;
}

}  // namespace cairn::platform
