#pragma once
// How each area of the product adds itself to the running server: its routes, its background
// jobs and the services it lends to other areas. Each area defines its Wire function in
// platform/wiring_<area>.cpp; Application::AddRoutes calls them in the order below, so an area can
// use what an earlier one published in AreaServices.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/common/result.hpp"
#include "core/evidence/file.hpp"
#include "core/identity/principal.hpp"
#include "core/ports/jobs.hpp"

namespace cairn::core {
class Awarder;
class Transaction;
}  // namespace cairn::core
namespace cairn::http {
class Router;
class Server;
}  // namespace cairn::http

namespace cairn::platform {

class Application;

// Who may read an evidence file, and as whom: reviewers see it under a neutral name.
enum class FileAccess { kNone, kOwner, kIssuerAdmin, kReviewer };
using FileAccessCheck = std::function<FileAccess(core::Transaction&, const core::identity::Principal&,
                                                  const core::evidence::EvidenceFile&)>;

// Handlers for background jobs by kind, plus the periodic ones the worker enqueues itself.
struct JobRegistry {
  using Handler = std::function<core::Status(const core::jobs::Job&)>;
  struct Periodic {
    std::string kind;
    std::chrono::seconds every;
  };
  std::map<std::string, Handler> handlers;
  std::vector<Periodic> periodic;
};

// Services one area lends to another, and the objects that must live as long as the server.
struct AreaServices {
  core::Awarder* awarder = nullptr;  // credentials → review (award inside the decision)
  FileAccessCheck file_access;       // review → uploads (reviewers while assigned)
  JobRegistry jobs;
  std::vector<std::shared_ptr<void>> keep;
};

struct Wiring {
  Application& app;
  http::Router& router;
  http::Server* server;  // null when only the route table is wanted (cairn routes)
};

void WireCredentials(Wiring& w);    // keys, awarding, status lists, revocation
void WireEvidence(Wiring& w);       // enrolments, drafts, submissions
void WireUploads(Wiring& w);        // tus uploads, evidence files, Range serving
void WireReview(Wiring& w);         // pool, assignment, reviews, decisions, calibration
void WireNotifications(Wiring& w);  // in-app notifications; email delivery jobs
void WirePages(Wiring& w);          // server-rendered public pages
// Starts the background job worker once every area has registered its jobs; the worker stops when
// the returned object is destroyed.
std::shared_ptr<void> StartJobWorker(Application& app);

}  // namespace cairn::platform
