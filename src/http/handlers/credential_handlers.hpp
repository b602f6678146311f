#pragma once
// Credentials over HTTP: the signed credentials, the educator's and the issuer's lists, revocation,
// issuer keys and settings, and the public documents verifiers fetch (issuer controller documents,
// did:web documents, status lists, badge images).
#include "app/credentials/credentials.hpp"
#include "http/router.hpp"

namespace cairn::http {

void RegisterCredentialRoutes(Router& router, app::credentials::CredentialsContext& ctx);

}  // namespace cairn::http
