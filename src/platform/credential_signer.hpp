#pragma once
// The Signer port over the credential engine (src/credentials).
#include <memory>

#include "core/ports/signer.hpp"

namespace cairn::platform {

std::unique_ptr<core::Signer> MakeCredentialSigner();

}  // namespace cairn::platform
