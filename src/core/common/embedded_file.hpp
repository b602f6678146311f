#pragma once
// A data file compiled into the binary (cmake/embed_files.cmake).
#include <span>
#include <string_view>

namespace cairn {

struct EmbeddedFile {
  std::string_view name;  // file name without folders
  std::string_view text;
};

}  // namespace cairn
