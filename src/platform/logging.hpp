#pragma once
#include <string>

namespace cairn::platform {

// Structured JSON lines on stdout: {"time":…,"level":…,"msg":…}. Access log lines from the HTTP
// server are already JSON objects and pass through unchanged.
void ConfigureLogging(const std::string& level);

}  // namespace cairn::platform
