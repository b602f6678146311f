#pragma once
#include <span>

#include "core/common/embedded_file.hpp"

// data/demo/*.json, compiled in so `cairn seed-demo` works from any folder.
std::span<const cairn::EmbeddedFile> CairnDemoFiles();
