#pragma once
// The identity HTTP surface under /api/v1: auth/*, me, me/tokens, organizations, invitations.
// Handlers decode, call one use case from app/identity and encode. See openapi/identity.json.
#include "app/identity/context.hpp"
#include "http/router.hpp"

namespace cairn::http {

struct IdentityHandlerDeps {
  app::identity::IdentityContext& identity;
};

void RegisterIdentityRoutes(Router& router, const IdentityHandlerDeps& deps);

}  // namespace cairn::http
