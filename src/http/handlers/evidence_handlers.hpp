#pragma once
// The educator's side over HTTP: /api/v1/enrolments (enrol, draft autosave and history, submit),
// /api/v1/submissions (read, withdraw), coach sessions and district enrolment policies. Handlers
// decode, call one use case from app/evidence and encode; access checks live in the use cases.
#include "app/evidence/evidence.hpp"
#include "http/router.hpp"

namespace cairn::http {

struct EvidenceHandlerDeps {
  app::evidence::EvidenceContext& evidence;
};

void RegisterEvidenceRoutes(Router& router, const EvidenceHandlerDeps& deps);

}  // namespace cairn::http
