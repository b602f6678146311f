#include <nlohmann/json.hpp>

#include "app/review/review.hpp"
#include "http/handlers/review_handlers.hpp"
#include "platform/application.hpp"
#include "platform/wiring.hpp"

namespace cairn::platform {

void WireReview(Wiring& w) {
  Application& app = w.app;
  auto ctx = std::make_shared<app::review::ReviewContext>(
      app::review::ReviewContext{app.unit_of_work(), app.clock(), app.ids(),
                                 app.config().review_sla_days, app.areas().awarder});
  app.areas().keep.push_back(ctx);
  http::RegisterReviewRoutes(w.router, *ctx);

  app.areas().file_access = [](core::Transaction& tx, const core::identity::Principal& principal,
                               const core::evidence::EvidenceFile& file) {
    switch (app::review::FileAccessFor(tx, principal, file)) {
      case app::review::FileRole::kIssuerAdmin:
        return FileAccess::kIssuerAdmin;
      case app::review::FileRole::kReviewer:
        return FileAccess::kReviewer;
      case app::review::FileRole::kNone:
        break;
    }
    return FileAccess::kNone;
  };

  auto& jobs = app.areas().jobs;
  // {"issuer_id"} when a submission arrives (the evidence slice enqueues it); {} sweeps every
  // issuer.
  jobs.handlers["review.assign"] = [ctx](const core::jobs::Job& job) -> core::Status {
    const auto payload = nlohmann::json::parse(job.payload, nullptr, false);
    if (!payload.is_object())
      return core::Error::InvalidInput("review.assign needs a JSON object payload");
    const auto issuer = payload.find("issuer_id");
    if (issuer == payload.end()) {
      auto swept = app::review::RunAssignmentEverywhere(*ctx);
      return swept.ok() ? core::Ok() : core::Status(swept.error());
    }
    if (!issuer->is_string())
      return core::Error::InvalidInput("review.assign: issuer_id must be a string");
    auto plan = app::review::RunAssignment(*ctx, issuer->get<std::string>(), "system");
    return plan.ok() ? core::Ok() : core::Status(plan.error());
  };
  // Releases late reviews (and reassigns their slots), then fills whatever else is still open.
  jobs.handlers["review.overdue"] = [ctx](const core::jobs::Job&) -> core::Status {
    auto out = app::review::ReleaseOverdue(*ctx, ctx->clock.Now());
    if (!out.ok()) return out.error();
    auto swept = app::review::RunAssignmentEverywhere(*ctx);
    return swept.ok() ? core::Ok() : core::Status(swept.error());
  };
  jobs.periodic.push_back({"review.overdue", std::chrono::minutes(10)});
}

}  // namespace cairn::platform
