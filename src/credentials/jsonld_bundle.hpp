#pragma once
// The context documents compiled into the binary (generated from src/credentials/contexts/ by
// jsonld.cmake), so processing a context never touches the file system or the network.
#include <cstddef>

namespace cairn::credentials::jsonld {

struct EmbeddedContext {
  const char* url;
  const char* text;
};

extern const EmbeddedContext kEmbeddedContexts[];
extern const std::size_t kEmbeddedContextCount;

}  // namespace cairn::credentials::jsonld
