#pragma once
// The catalog's HTTP surface, /api/v1/micro-credentials. Handlers decode, call one use case from
// app/catalog and encode; permission checks live in the use cases.
#include "app/catalog/catalog.hpp"
#include "http/router.hpp"

namespace cairn::http {

struct CatalogHandlerDeps {
  app::catalog::CatalogContext& catalog;
  // Serve the single micro-credential GET on the I/O thread. Right for SQLite, where that read is
  // one prepared point query of a few microseconds; wrong for PostgreSQL's network round trip.
  bool inline_point_reads = false;
};

void RegisterCatalogRoutes(Router& router, const CatalogHandlerDeps& deps);

}  // namespace cairn::http
