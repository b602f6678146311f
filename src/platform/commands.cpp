#include "platform/commands.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <sstream>
#include <stdexcept>
#include <nlohmann/json.hpp>

#include "app/catalog/catalog.hpp"
#include "app/identity/accounts.hpp"
#include "app/identity/context.hpp"
#include "core/catalog/codec.hpp"
#include "core/identity/repository.hpp"
#include "core/ports/transaction.hpp"
#include "credentials/fetcher.hpp"
#include "credentials/verifier.hpp"
#include "http/openapi.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "platform/application.hpp"
#include "platform/demo_data.hpp"
#include "platform/demo_loop.hpp"
#include "platform/system.hpp"
#include "storage/database.hpp"

namespace cairn::platform {

using nlohmann::json;
namespace ident = core::identity;

std::string VersionString() { return std::string("cairn ") + CAIRN_VERSION; }

core::Status ReportSchema(Application& app) {
  auto version = app.database().SchemaVersion();
  if (!version) return version.error();
  std::cout << "schema version " << *version << "\n";
  return core::Ok();
}

core::Status CreateUser(Application& app, const NewUser& user) {
  if (!user.platform_admin)
    return core::Error::InvalidInput(
        "only --platform-admin accounts are created here; invite everyone else from the app");
  auto created = app::identity::CreatePlatformAdmin(app.identity(), {user.email, user.display_name, user.password});
  if (!created) return created.error();
  std::cout << "created " << created->id << " <" << created->email << "> (platform admin)\n";
  return core::Ok();
}

namespace {

const json* FindDemo(const std::string& name, json& storage) {
  for (const auto& f : CairnDemoFiles()) {
    if (f.name == name) {
      storage = json::parse(f.text);
      return &storage;
    }
  }
  return nullptr;
}

}  // namespace

namespace {
core::Status LoadDemo(Application& app);
}

core::Status SeedDemo(Application& app) {
  try {
    return LoadDemo(app);
  } catch (const nlohmann::json::exception& e) {
    return core::Error::Internal(std::string("demo data: ") + e.what());
  } catch (const std::out_of_range& e) {  // a key one data file names and another lacks
    return core::Error::Internal(std::string("demo data: unknown key: ") + e.what());
  }
}

namespace {

core::Status LoadDemo(Application& app) {
  json people_doc, mc_doc, loop_doc;
  if (!FindDemo("people.json", people_doc) || !FindDemo("microcredentials.json", mc_doc) ||
      !FindDemo("loop.json", loop_doc))
    return core::Error::Internal("demo data missing from the build");
  const auto now = app.clock().Now();
  auto& ctx = app.identity();

  // Accounts share one password, hashed once: Argon2id is slow on purpose.
  auto hash = ctx.hasher.Hash(people_doc.at("password").get<std::string>());
  if (!hash) return hash.error();

  DemoCatalog catalog;
  auto& org_ids = catalog.org_ids;  // demo key -> public id
  auto& admins = catalog.admins;    // issuer key -> its admin, to publish as
  auto status = app.unit_of_work().Write([&](core::Transaction& tx) -> core::Status {
    auto& repo = tx.Identity();
    if (repo.FindUserByEmail(people_doc.at("people").at(0).at("email").get<std::string>()))
      return core::Error::Conflict("the demo data set is already loaded");
    for (const auto& o : people_doc.at("organizations")) {
      ident::Organization org;
      org.id = app.ids().NewId("org");
      org.name = o.at("name").get<std::string>();
      auto kind = ident::ParseOrgKind(o.at("kind").get<std::string>());
      if (!kind) return core::Error::Internal("demo organisation kind " + o.at("kind").dump());
      org.kind = *kind;
      org.issuer = o.value("issuer", false);
      std::optional<ident::Organization> parent;
      if (o.contains("parent")) {
        org.parent_id = org_ids.at(o.at("parent").get<std::string>());
        parent = repo.FindOrganization(org.parent_id);
      }
      org.created_at = now;
      if (auto ok = ident::CheckNewOrganization(org, parent); !ok) return ok;
      repo.InsertOrganization(org);
      org_ids[o.at("key").get<std::string>()] = org.id;
    }
    for (const auto& p : people_doc.at("people")) {
      ident::User user;
      user.id = app.ids().NewId("usr");
      user.email = p.at("email").get<std::string>();
      user.display_name = p.at("name").get<std::string>();
      user.email_verified = true;
      user.password_hash = *hash;
      user.created_at = user.updated_at = now;
      for (const auto& r : p.at("roles"))
        if (r.at("role") == "platform_admin") user.platform_admin = true;
      repo.InsertUser(user);
      for (const auto& r : p.at("roles")) {
        if (r.at("role") == "platform_admin") continue;
        auto role = ident::ParseRole(r.at("role").get<std::string>());
        if (!role) return core::Error::Internal("demo role " + r.at("role").dump());
        const std::string org_key = r.at("org").get<std::string>();
        repo.InsertMembership(user.id, {org_ids.at(org_key), *role}, now);
        if (*role == ident::Role::kIssuerAdmin && !admins.count(org_key))
          admins[org_key] = app::identity::LoadPrincipal(repo, user);
      }
    }
    tx.Audit().Append({"system", "demo.seed", "platform", "demo", "", "", "{}", now});
    return core::Ok();
  });
  if (!status) return status;

  int published = 0;
  for (const auto& entry : mc_doc.at("micro_credentials")) {
    const std::string issuer_key = entry.at("issuer").get<std::string>();
    auto content = core::catalog::DecodeContent(entry, {"issuer"});
    if (!content) {
      std::string where = content.error().fields.empty() ? "" : content.error().fields[0].pointer + ": " +
                                                                    content.error().fields[0].message;
      return core::Error::Internal("demo micro-credential " + entry.value("title", "?") + " is invalid: " + where);
    }
    const auto& admin = admins.at(issuer_key);
    auto draft = app::catalog::CreateDraft(app.catalog(), admin, org_ids.at(issuer_key), *content);
    if (!draft) return draft.error();
    auto done = app::catalog::Publish(app.catalog(), admin, draft->id, draft->revision);
    if (!done) return done.error();
    catalog.mc_ids_by_title[content->title] = draft->id;
    ++published;
  }

  // The loop through the real use cases: pools, reviews, decisions, credentials, a revocation.
  auto loop = SeedDemoLoop(app, loop_doc, catalog);
  if (!loop) return loop.error();

  std::cout << "demo data loaded: " << org_ids.size() << " organisations, "
            << people_doc.at("people").size() << " people, " << published
            << " published micro-credentials, " << loop->reviewers << " reviewer pool places, "
            << loop->submissions << " submissions (" << loop->decided << " decided, "
            << loop->waiting << " waiting for review), " << loop->credentials
            << " credentials issued (" << loop->revoked << " revoked)\n";
  return core::Ok();
}

}  // namespace

core::Status PrintRoutes(Application& app) {
  http::Router router;
  http::ServerOptions options;
  options.port = 0;  // bound but never run: the operational routes need a server to describe
  options.handle_signals = false;
  http::Server server(options, router, {});
  app.AddRoutes(router, server);
  for (const auto& r : router.routes())
    std::cout << json{{"method", r.method}, {"pattern", r.pattern}, {"policy", r.policy}, {"summary", r.summary}}.dump()
              << "\n";
  auto missing = http::UndocumentedOperations(router, http::OpenApiDocument());
  if (missing.empty()) return core::Ok();
  std::string all;
  for (const auto& m : missing) all += "\n  " + m;
  return core::Error::Internal("routes missing from the OpenAPI document:" + all);
}

core::Status Backup(Application& app, const std::string& dest_dir) {
  namespace fs = std::filesystem;
  if (!app.config().UsesSqlite())
    return core::Error::InvalidInput("cairn backup copies SQLite; back PostgreSQL up with pg_dump");
  std::error_code ec;
  fs::create_directories(dest_dir, ec);
  if (ec) return core::Error::InvalidInput("cannot create " + dest_dir + ": " + ec.message());
  if (auto s = app.database().Backup((fs::path(dest_dir) / "cairn.db").string()); !s) return s;
  const fs::path blobs = fs::path(app.config().data_dir) / "blobs";
  std::size_t files = 0;
  if (fs::exists(blobs)) {
    for (const auto& entry : fs::recursive_directory_iterator(blobs)) {
      const auto target = fs::path(dest_dir) / "blobs" / fs::relative(entry.path(), blobs);
      if (entry.is_directory()) {
        fs::create_directories(target, ec);
      } else if (entry.is_regular_file() && entry.path().extension() != ".tmp") {
        fs::create_directories(target.parent_path(), ec);
        fs::copy_file(entry.path(), target, fs::copy_options::skip_existing, ec);
        if (ec) return core::Error::Internal("backup: copying " + entry.path().string() + ": " + ec.message());
        ++files;
      }
    }
  }
  std::cout << "backup written to " << dest_dir << " (database + " << files << " blob files)\n";
  return core::Ok();
}

namespace {

// The whole input, or why it cannot be read.
core::Result<std::string> ReadInput(const std::string& file, std::istream& in) {
  if (file == "-") {
    std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) return core::Error::InvalidInput("cannot read standard input");
    return bytes;
  }
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec))
    return core::Error::InvalidInput("cannot read " + file + ": it is a directory");
  std::ifstream stream(file, std::ios::binary);
  if (!stream)
    return core::Error::InvalidInput("cannot read " + file + ": " + std::strerror(errno));
  std::ostringstream bytes;
  bytes << stream.rdbuf();
  if (stream.bad()) return core::Error::InvalidInput("cannot read " + file);
  return bytes.str();
}

}  // namespace

int VerifyFiles(const VerifyCommand& command, std::istream& in, std::ostream& out, std::ostream& err) {
  std::vector<std::string> files = command.files;
  if (files.empty()) files.push_back("-");
  if (std::count(files.begin(), files.end(), "-") > 1) {
    err << "cairn verify: standard input (-) can be named only once\n";
    return kVerifyUsageError;
  }
  std::vector<std::string> inputs;
  bool unreadable = false;
  for (const auto& file : files) {
    auto bytes = ReadInput(file, in);
    if (!bytes) {
      err << "cairn verify: " << bytes.error().message << "\n";
      unreadable = true;
      continue;
    }
    inputs.push_back(std::move(*bytes));
  }
  if (unreadable) return kVerifyUsageError;

  namespace verify = credentials::verification;
  credentials::CurlFetcherOptions fetch_options;
  fetch_options.allow_private = command.allow_private;
  credentials::CurlFetcher curl(fetch_options);
  // Several files from one issuer need its profile only once.
  credentials::CachingFetcher fetcher(curl, std::chrono::seconds(300), std::chrono::seconds(30));
  SystemClock clock;
  const verify::VerifyOptions options{
      .now = std::chrono::floor<std::chrono::seconds>(clock.Now()),
      .fetcher = &fetcher,
      .recipient_email = command.recipient_email};

  bool all_verified = true;
  json reports = json::array();
  for (std::size_t i = 0; i < files.size(); ++i) {
    const verify::VerificationReport report = verify::Verify(inputs[i], options);
    all_verified = all_verified && report.verified;
    reports.push_back({{"file", files[i]}, {"report", report.ToJson()}});
  }
  const json& printed = files.size() == 1 ? reports[0]["report"] : reports;
  out << printed.dump(2) << "\n";
  return all_verified ? kVerifyAllVerified : kVerifyNotVerified;
}

}  // namespace cairn::platform
