#pragma once
// The composition root: builds every adapter once, from typed config, and hands them down.
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "core/common/result.hpp"
#include "platform/config.hpp"
#include "platform/system.hpp"
#include "platform/wiring.hpp"

namespace cairn::core {
class Mailer;
class UnitOfWork;
}  // namespace cairn::core
namespace cairn::storage {
class Database;
}
namespace cairn::http {
class Router;
class Server;
struct Request;
struct Response;
struct Route;
}  // namespace cairn::http
namespace cairn::app::identity {
struct IdentityContext;
}
namespace cairn::app::catalog {
struct CatalogContext;
}

namespace cairn::platform {

class Application {
 public:
  // Creates the data directory, opens the database and, when configured, migrates it.
  static core::Result<std::unique_ptr<Application>> Open(const Config& config, bool migrate);
  ~Application();

  const Config& config() const { return config_; }
  storage::Database& database() { return *database_; }
  core::UnitOfWork& unit_of_work() { return *unit_of_work_; }
  core::Mailer& mailer() { return *mailer_; }
  core::Clock& clock() { return clock_; }
  core::IdGenerator& ids() { return ids_; }
  app::identity::IdentityContext& identity();
  app::catalog::CatalogContext& catalog();
  AreaServices& areas() { return *areas_; }

  // Every route of the product: the single table for dispatch, OpenAPI and authorisation tests.
  void AddRoutes(http::Router& router, http::Server& server);
  // Authentication, CSRF and the policy check, in that order. Throws std::invalid_argument when a
  // route in router names no policy or an unknown one.
  std::vector<std::function<std::optional<http::Response>(http::Request&, const http::Route&)>> Middleware(
      const http::Router& router);
  // Serves until SIGTERM/SIGINT, then drains. Returns the process exit code.
  int Serve();

 private:
  explicit Application(Config config);

  Config config_;
  SystemClock clock_;
  RandomIdGenerator ids_;
  std::unique_ptr<storage::Database> database_;
  std::unique_ptr<core::UnitOfWork> unit_of_work_;
  std::unique_ptr<core::Mailer> mailer_;
  struct Services;
  std::unique_ptr<Services> services_;
  // Declared last: area services hold references to everything above and go first.
  std::unique_ptr<AreaServices> areas_ = std::make_unique<AreaServices>();
};

}  // namespace cairn::platform
