#pragma once
// The CLI's work, apart from serving: each is a function over the wired Application.
#include <string>

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

}  // namespace cairn::platform
