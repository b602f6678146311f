#include "platform/application.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "app/catalog/catalog.hpp"
#include "app/identity/context.hpp"
#include "app/identity/policies.hpp"
#include "app/identity/sodium_crypto.hpp"
#include "credentials/fetcher.hpp"
#include "http/handlers/catalog_handlers.hpp"
#include "http/handlers/identity_handlers.hpp"
#include "http/handlers/identity_middleware.hpp"
#include "http/handlers/verify_handlers.hpp"
#include "http/idempotency.hpp"
#include "http/openapi.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "mail/smtp_mailer.hpp"
#include "platform/outbox_mailer.hpp"
#include "storage/database.hpp"
#include "storage/sql_idempotency_store.hpp"
#include "storage/sql_unit_of_work.hpp"

namespace cairn::platform {

struct Application::Services {
  Services(Application& app, const app::identity::IdentityOptions& options)
      : identity{app.unit_of_work(), app.clock(), app.ids(), hasher, secrets, app.mailer(), options},
        catalog{app.unit_of_work(), app.clock(), app.ids()},
        curl{{.allow_private = app.config().fetch_allow_private}},
        // Issuer profiles change rarely; a dead host is retried after half a minute.
        fetcher{curl, std::chrono::seconds(300), std::chrono::seconds(30)} {}
  app::identity::Argon2idPasswordHasher hasher;
  app::identity::SodiumSecretGenerator secrets;
  app::identity::IdentityContext identity;
  app::catalog::CatalogContext catalog;
  app::identity::PolicySet policies = app::identity::StandardPolicies();
  credentials::CurlFetcher curl;
  credentials::CachingFetcher fetcher;
};

Application::Application(Config config) : config_(std::move(config)) {}
Application::~Application() = default;

core::Result<std::unique_ptr<Application>> Application::Open(const Config& config, bool migrate) {
  std::unique_ptr<Application> app(new Application(config));
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) return core::Error::InvalidInput("cannot create data directory " + config.data_dir + ": " + ec.message());

  storage::DatabaseOptions db_options;
  // One connection per thread that may run a query (workers, and I/O threads for inline SQLite
  // reads), so no thread ever waits for a connection.
  db_options.pool_size = config.worker_threads + config.io_threads;
  auto db = storage::Database::Open(config.database_url, db_options);
  if (!db) return db.error();
  app->database_ = std::move(db.value());
  if (migrate) {
    if (auto m = app->database_->Migrate(); !m) return m.error();
  }
  app->unit_of_work_ = std::make_unique<storage::SqlUnitOfWork>(*app->database_);

  if (config.smtp.host.empty()) {
    app->mailer_ = std::make_unique<OutboxMailer>(std::filesystem::path(config.data_dir) / "outbox");
  } else {
    mail::SmtpOptions smtp;
    smtp.host = config.smtp.host;
    smtp.port = config.smtp.port;
    smtp.username = config.smtp.username;
    smtp.password = config.smtp.password;
    smtp.from_address = config.smtp.from;
    smtp.from_name = config.smtp.from_name;
    smtp.starttls = config.smtp.starttls;
    smtp.timeout = std::chrono::seconds(config.smtp.timeout_seconds);
    try {
      app->mailer_ = std::make_unique<mail::SmtpMailer>(smtp);
    } catch (const std::invalid_argument& e) {
      return core::Error::InvalidInput(std::string("SMTP settings: ") + e.what());
    }
  }

  app::identity::IdentityOptions identity_options;
  identity_options.public_url = config.public_url;
  app->services_ = std::make_unique<Services>(*app, identity_options);
  return app;
}

app::identity::IdentityContext& Application::identity() { return services_->identity; }
app::catalog::CatalogContext& Application::catalog() { return services_->catalog; }

void Application::AddRoutes(http::Router& router, http::Server& server) {
  http::RegisterIdentityRoutes(router, {services_->identity});
  http::RegisterCatalogRoutes(router, {services_->catalog, config_.UsesSqlite()});
  http::RegisterVerifyRoutes(router, {services_->fetcher, clock_});
  Wiring wiring{*this, router, &server};
  WireCredentials(wiring);
  WireEvidence(wiring);
  WireUploads(wiring);
  WireReview(wiring);
  WireNotifications(wiring);
  WirePages(wiring);
  http::AddOpenApiRoute(router);
  http::AddOperationalRoutes(router, server);
  const std::string web_dir = config_.web_dir.empty() ? "web/dist" : config_.web_dir;
  if (std::filesystem::exists(std::filesystem::path(web_dir) / "index.html")) {
    http::StaticFilesOptions files;
    files.root = web_dir;
    http::AddStaticRoutes(router, files);  // last: every other route wins over it
  }
}

std::vector<http::Middleware> Application::Middleware(const http::Router& router) {
  // SQLite has one serving process, so its unfinished idempotency reservations after a restart
  // are leftovers of a crash; on PostgreSQL other processes may still be running theirs.
  auto idempotency = std::make_shared<storage::SqlIdempotencyStore>(
      *database_, storage::IdempotencyStoreOptions{.single_process = config_.UsesSqlite()});
  return {http::AuthenticationMiddleware(services_->identity), http::CsrfMiddleware(),
          http::PolicyMiddleware(services_->policies, router),
          http::IdempotencyMiddleware(idempotency, clock_)};  // last: it runs the handler
}

int Application::Serve() {
  http::Router router;
  http::ServerOptions options;
  options.host = config_.listen_host;
  options.port = config_.listen_port;
  options.io_threads = config_.io_threads;
  options.worker_threads = config_.worker_threads;
  options.max_header_bytes = config_.max_header_bytes;
  options.max_url_bytes = config_.max_url_bytes;
  options.body_timeout = std::chrono::seconds(config_.request_timeout_seconds);
  // The operational routes need the server, and the policy check needs every route, so the
  // chain is filled in once the table is complete, before Run().
  auto chain = std::make_shared<std::vector<http::Middleware>>();
  http::Middleware run_chain = [chain](http::Request& request, const http::Route& route) {
    for (const auto& m : *chain)
      if (auto response = m(request, route)) return response;
    return std::optional<http::Response>();
  };
  std::unique_ptr<http::Server> server;
  try {
    server = std::make_unique<http::Server>(options, router, std::vector<http::Middleware>{run_chain});
  } catch (const std::exception& e) {
    spdlog::error("cannot listen on {}:{}: {}", config_.listen_host, config_.listen_port, e.what());
    return 1;
  }
  AddRoutes(router, *server);
  try {
    *chain = Middleware(router);
  } catch (const std::invalid_argument& e) {
    spdlog::error("route table: {}", e.what());
    return 1;
  }
  areas_->keep.push_back(StartJobWorker(*this));
  server->SetReadinessCheck([this] { return database_->Ping().ok(); });
  spdlog::info("cairn {} listening on http://{}:{} (public URL {}, database {})", CAIRN_VERSION,
               config_.listen_host, server->port(), config_.public_url,
               config_.UsesSqlite() ? "sqlite" : "postgresql");
  server->Run();
  spdlog::info("cairn stopped");
  return 0;
}

}  // namespace cairn::platform
