// Seeds a data directory for the catalog benchmark: the demo organisations and people, then
// N published micro-credentials made from the demo ones (through the real use cases), and M extra
// users sharing one precomputed password hash (Argon2id is slow on purpose).
#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/catalog/catalog.hpp"
#include "app/identity/context.hpp"
#include "core/catalog/codec.hpp"
#include "core/identity/repository.hpp"
#include "core/ports/transaction.hpp"
#include "platform/application.hpp"
#include "platform/commands.hpp"
#include "platform/config.hpp"
#include "platform/demo_data.hpp"

using namespace cairn;

int main(int argc, char** argv) {
  CLI::App cli{"Seed the catalog benchmark"};
  std::string data_dir, ids_out;
  int mcs = 10000, users = 100000;
  cli.add_option("--data-dir", data_dir)->required();
  cli.add_option("--microcredentials", mcs);
  cli.add_option("--users", users);
  cli.add_option("--ids-out", ids_out)->required();
  CLI11_PARSE(cli, argc, argv);

  auto config = platform::LoadConfig(std::nullopt, {{"CAIRN_DATA_DIR", data_dir}});
  auto app = platform::Application::Open(*config, true);
  if (!app) return std::cerr << app.error().message << "\n", 1;
  auto& a = **app;
  if (auto s = platform::SeedDemo(a); !s) return std::cerr << s.error().message << "\n", 1;

  nlohmann::json demo;
  for (const auto& f : CairnDemoFiles())
    if (f.name == "microcredentials.json") demo = nlohmann::json::parse(f.text);
  const auto& entries = demo.at("micro_credentials");

  // The district's issuer admin publishes everything, as in the demo.
  core::identity::Principal admin;
  std::string issuer_id;
  auto s = a.unit_of_work().Read([&](core::Transaction& tx) -> core::Status {
    auto user = tx.Identity().FindUserByEmail("james.whitfield@riverbend.example.org");
    admin = app::identity::LoadPrincipal(tx.Identity(), *user);
    for (const auto& m : admin.memberships)
      if (m.role == core::identity::Role::kIssuerAdmin) issuer_id = m.organization_id;
    return core::Ok();
  });
  if (!s) return std::cerr << s.error().message << "\n", 1;

  static const char* kPlaces[] = {"Elementary", "Middle Grades", "High School", "Multilingual Learners",
                                  "Special Education", "Rural Schools", "Early Childhood", "Career and Technical"};
  std::ofstream ids(ids_out);
  for (int i = 0; i < mcs; ++i) {
    auto entry = entries.at(i % entries.size());
    entry["title"] = entry["title"].get<std::string>() + " for " + kPlaces[(i / entries.size()) % 8] +
                     " #" + std::to_string(i + 1);
    auto content = core::catalog::DecodeContent(entry, {"issuer"});
    if (!content) return std::cerr << "content: " << content.error().message << "\n", 1;
    auto draft = app::catalog::CreateDraft(a.catalog(), admin, issuer_id, *content);
    if (!draft) return std::cerr << draft.error().message << "\n", 1;
    auto published = app::catalog::Publish(a.catalog(), admin, draft->id, draft->revision);
    if (!published) return std::cerr << published.error().message << "\n", 1;
    ids << draft->id << "\n";
  }

  auto hash = a.identity().hasher.Hash("benchmark-password");
  const auto now = a.clock().Now();
  for (int done = 0; done < users;) {
    const int batch = std::min(5000, users - done);
    auto w = a.unit_of_work().Write([&](core::Transaction& tx) -> core::Status {
      for (int i = 0; i < batch; ++i) {
        core::identity::User u;
        u.id = a.ids().NewId("usr");
        u.email = "teacher" + std::to_string(done + i) + "@bench.example.org";
        u.display_name = "Teacher " + std::to_string(done + i);
        u.email_verified = true;
        u.password_hash = *hash;
        u.created_at = u.updated_at = now;
        tx.Identity().InsertUser(u);
      }
      return core::Ok();
    });
    if (!w) return std::cerr << w.error().message << "\n", 1;
    done += batch;
  }
  std::cout << "seeded " << mcs << " published micro-credentials and " << users << " users\n";
  return 0;
}
