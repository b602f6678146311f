// cairn: the one binary. Subcommands: serve, migrate, seed-demo, user create, backup, verify,
// version, routes, credentials list/show.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <iostream>
#include <optional>
#include <string>

#include "platform/application.hpp"
#include "platform/commands.hpp"
#include "platform/credential_commands.hpp"
#include "platform/config.hpp"
#include "platform/logging.hpp"

namespace {

using cairn::platform::Application;
using cairn::platform::Config;

// Prints a configuration or start-up error so that it names the offending setting.
int Fail(const cairn::core::Error& error) {
  std::cerr << "cairn: " << error.message;
  if (!error.detail.empty()) std::cerr << ": " << error.detail;
  std::cerr << "\n";
  for (const auto& f : error.fields) std::cerr << "  " << f.pointer << ": " << f.message << "\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Cairn: educator micro-credentials"};
  cli.require_subcommand(1);
  std::optional<std::string> config_file;
  cli.add_option("--config", config_file, "JSON config file; CAIRN_* environment variables override it");

  auto* serve = cli.add_subcommand("serve", "Start the HTTP server");
  auto* migrate = cli.add_subcommand("migrate", "Apply pending database migrations");
  auto* seed = cli.add_subcommand("seed-demo", "Load the demo data set (organisations, people, micro-credentials)");
  auto* user = cli.add_subcommand("user", "Manage accounts");
  user->require_subcommand(1);
  auto* user_create = user->add_subcommand("create", "Create a verified account; the password is read from stdin");
  cairn::platform::NewUser new_user;
  user_create->add_option("--email", new_user.email, "Email address")->required();
  user_create->add_option("--name", new_user.display_name, "Display name")->required();
  user_create->add_flag("--platform-admin", new_user.platform_admin, "Grant the platform admin role");
  auto* backup = cli.add_subcommand("backup", "Online, consistent copy of the SQLite database and the blob folder");
  std::string backup_dir;
  backup->add_option("DEST_DIR", backup_dir, "Folder to write the copy into (created)")->required();
  auto* version = cli.add_subcommand("version", "Print the version");
  auto* routes = cli.add_subcommand("routes", "Print the route table (method, pattern, policy) as JSON");
  auto* credentials = cli.add_subcommand("credentials", "Awarded credentials");
  credentials->require_subcommand(1);
  auto* credentials_list = credentials->add_subcommand(
      "list", "List awarded credentials: id, recipient email, micro-credential, issuer, issued_at, status");
  bool credentials_json = false;
  credentials_list->add_flag("--json", credentials_json, "Print a JSON array");
  auto* credentials_show = credentials->add_subcommand("show", "Print the signed JSON of one credential");
  std::string credential_id;
  credentials_show->add_option("ID", credential_id, "Credential id (cred_…)")->required();
  auto* verify = cli.add_subcommand(
      "verify", "Verify Open Badges 3.0 credentials (JSON, compact JWS, baked PNG or SVG); prints a JSON report, "
                "exits 0 only when every input verified");
  cairn::platform::VerifyCommand verify_command;
  verify->add_option("FILE", verify_command.files, "Credential files; none or - reads stdin");
  verify->add_option("--recipient-email", verify_command.recipient_email,
                     "Also check that the credential was issued to this email");

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 exits 106/109 for usage errors; Cairn's usage errors exit 2, like its config errors.
    const int code = cli.exit(e);
    return code == 0 ? 0 : 2;
  }

  if (*version) {
    std::cout << cairn::platform::VersionString() << "\n";
    return 0;
  }

  auto config = cairn::platform::LoadConfig(config_file, cairn::platform::ProcessEnvironment());
  if (!config) return Fail(config.error());
  cairn::platform::ConfigureLogging(config->log_level);
  for (const auto& w : config->warnings) spdlog::warn("{}", w);

  // Before Application::Open: verifying needs no database and no data directory.
  if (*verify) {
    verify_command.allow_private = config->fetch_allow_private;
    return cairn::platform::VerifyFiles(verify_command, std::cin, std::cout, std::cerr);
  }

  const bool migrate_now = *migrate || *seed || *user_create || (*serve && config->migrate_on_start);
  auto app = Application::Open(*config, migrate_now);
  if (!app) return Fail(app.error());

  cairn::core::Status result = cairn::core::Ok();
  if (*serve) return (*app)->Serve();
  if (*migrate) result = cairn::platform::ReportSchema(**app);
  if (*seed) result = cairn::platform::SeedDemo(**app);
  if (*user_create) {
    std::getline(std::cin, new_user.password);
    result = cairn::platform::CreateUser(**app, new_user);
  }
  if (*backup) result = cairn::platform::Backup(**app, backup_dir);
  if (*routes) result = cairn::platform::PrintRoutes(**app);
  if (*credentials_list) result = cairn::platform::ListCredentials(**app, credentials_json, std::cout);
  if (*credentials_show) result = cairn::platform::ShowCredential(**app, credential_id, std::cout);
  if (!result.ok()) return Fail(result.error());
  return 0;
}
