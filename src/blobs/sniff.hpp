#pragma once
// The rule that turns libmagic's answer into an accepted kind or a refusal, apart from libmagic so
// tests can state it directly.
#include <string_view>

#include "blobs/media.hpp"

namespace cairn::blobs {

// `media_type` and `description` as libmagic gives them; `head` is the file's first bytes (for a
// shebang). Zip archives are resolved to their office type before this is called.
core::Result<SniffResult> Classify(std::string_view media_type, std::string_view description,
                                   std::string_view head);

}  // namespace cairn::blobs
