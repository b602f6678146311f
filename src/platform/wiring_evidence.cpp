#include "app/evidence/evidence.hpp"
#include "http/handlers/evidence_handlers.hpp"
#include "platform/application.hpp"
#include "platform/wiring.hpp"

namespace cairn::platform {

void WireEvidence(Wiring& w) {
  Application& app = w.app;
  auto ctx = std::make_shared<app::evidence::EvidenceContext>(
      app::evidence::EvidenceContext{app.unit_of_work(), app.clock(), app.ids()});
  app.areas().keep.push_back(ctx);
  http::RegisterEvidenceRoutes(w.router, {*ctx});
}

}  // namespace cairn::platform
