#pragma once
// `cairn credentials list [--json]` and `cairn credentials show ID`.
#include <iosfwd>
#include <string>

#include "core/common/result.hpp"

namespace cairn::platform {

class Application;

// One line per credential (id, recipient email, micro-credential, issuer, issued_at, status), or
// a JSON array with --json.
core::Status ListCredentials(Application& app, bool as_json, std::ostream& out);
// The signed JSON of one credential, as issued.
core::Status ShowCredential(Application& app, const std::string& id, std::ostream& out);

}  // namespace cairn::platform
