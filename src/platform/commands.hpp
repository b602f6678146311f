#pragma once
// The CLI's work, apart from serving: each is a function over the wired Application.
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "core/common/result.hpp"

namespace cairn::platform {

class Application;

std::string VersionString();

// Prints the schema version after `cairn migrate`.
core::Status ReportSchema(Application& app);

struct NewUser {
  std::string email;
  std::string display_name;
  std::string password;
  bool platform_admin = false;
};
// A verified account, for the first admin of a fresh install.
core::Status CreateUser(Application& app, const NewUser& user);

// The route table as JSON lines ({"method","pattern","policy","summary"}), with the OpenAPI
// check: kInternal naming each route the document does not describe.
core::Status PrintRoutes(Application& app);

// Loads data/demo: organisations, people and micro-credentials. Refuses when already loaded.
core::Status SeedDemo(Application& app);

// SQLite: DEST_DIR/cairn.db (online backup API), then the blob folder. Blobs are content-addressed
// and never change once written, so copying them after the database snapshot gives a consistent
// pair: every blob the snapshot references exists.
core::Status Backup(Application& app, const std::string& dest_dir);

struct VerifyCommand {
  std::vector<std::string> files;  // none, or "-", reads stdin
  std::optional<std::string> recipient_email;
  bool allow_private = false;  // config fetch_allow_private
};
inline constexpr int kVerifyAllVerified = 0;
inline constexpr int kVerifyNotVerified = 1;  // some input failed or is incomplete
inline constexpr int kVerifyUsageError = 2;
// `cairn verify`: needs no database, so it runs without an Application. One report on `out` for
// a single input, else an array of {file, report}. Every input is read before any is verified,
// so an unreadable one (named on `err`) yields no partial output.
int VerifyFiles(const VerifyCommand& command, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace cairn::platform
