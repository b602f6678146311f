#pragma once
// The schema migrations compiled into the binary (see embed_migrations.cmake), per dialect, in
// ascending version order.
#include <span>
#include <string_view>

#include "storage/database.hpp"

namespace cairn::storage {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

std::span<const Migration> EmbeddedMigrations(Dialect dialect);

}  // namespace cairn::storage
