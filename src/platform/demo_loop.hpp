#pragma once
// The second half of `cairn seed-demo`: runs the evidence-and-review loop through the same use
// cases the API calls (data/demo/loop.json), so the demo shows reviewer pools, decided and waiting
// submissions, issued credentials and a revoked one. Nothing is written with SQL here.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/common/result.hpp"
#include "core/identity/principal.hpp"

namespace cairn::platform {

class Application;

// What the first half (people and catalog) created, by the keys and titles the data files use.
struct DemoCatalog {
  std::map<std::string, std::string> org_ids;                 // organisation key -> org_ id
  std::map<std::string, core::identity::Principal> admins;    // issuer key -> an issuer admin
  std::map<std::string, std::string> mc_ids_by_title;         // title -> mc_ id
};

struct DemoLoopSummary {
  int reviewers = 0;     // pool entries
  int submissions = 0;
  int decided = 0;
  int credentials = 0;   // issued by the decisions
  int revoked = 0;
  int waiting = 0;       // submitted, assigned, not yet started
};

core::Result<DemoLoopSummary> SeedDemoLoop(Application& app, const nlohmann::json& doc,
                                           const DemoCatalog& catalog);

}  // namespace cairn::platform
