#include "http/handlers/evidence_handlers.hpp"

#include <charconv>
#include <nlohmann/json.hpp>

#include "core/evidence/codec.hpp"
#include "http/json_body.hpp"

namespace cairn::http {
namespace {

using nlohmann::json;
namespace app_ev = app::evidence;
namespace ev = core::evidence;

constexpr std::string_view kEnrolments = "/api/v1/enrolments";
// Three parts of prose plus artifact references; generous for the longest word limits.
constexpr std::size_t kMaxDraftBody = 2 * 1024 * 1024;
constexpr std::size_t kSmallBody = 4 * 1024;

Response Unauthenticated() { return ProblemResponse(core::Error::Unauthenticated("sign in first")); }

json Time(const std::optional<core::TimePoint>& t) {
  return t ? json(core::FormatTime(*t)) : json();
}
json TextOrNull(const std::string& s) { return s.empty() ? json() : json(s); }

json LatestJson(const ev::Submission& s) {
  return {{"id", s.id},
          {"attempt", s.attempt},
          {"state", ToString(s.state)},
          {"submitted_at", core::FormatTime(s.submitted_at)}};
}

json EnrolmentJson(const app_ev::EnrolmentView& v) {
  const ev::Enrolment& e = v.enrolment;
  return {{"id", e.id},
          {"user_id", e.user_id},
          {"micro_credential_id", e.micro_credential_id},
          {"version", e.version},
          {"title", v.title},
          {"issuer_id", e.issuer_id},
          {"state", ToString(e.state)},
          {"attempts_used", e.attempts_used},
          {"attempt_cap", e.attempt_cap},
          {"coach_grants", e.coach_grants},
          {"attempts_left", v.attempts_left},
          {"next_step", v.next_step},
          {"draft_revision", v.draft_revision},
          {"latest_submission", v.latest ? LatestJson(*v.latest) : json()},
          {"due_at", Time(e.due_at)},
          {"created_at", core::FormatTime(e.created_at)},
          {"updated_at", core::FormatTime(e.updated_at)}};
}

json TextChecks(const std::vector<ev::TextCheck>& checks) {
  json out = json::array();
  for (const auto& t : checks)
    out.push_back({{"pointer", t.pointer},
                   {"words", t.words},
                   {"limit", t.limit},
                   {"answered", t.answered},
                   {"over_limit", t.over_limit}});
  return out;
}

json ChecksJson(const ev::ContentChecks& c) {
  json artifacts = json::array();
  for (const auto& a : c.artifacts)
    artifacts.push_back({{"requirement", a.requirement},
                         {"title", a.title},
                         {"count", a.count},
                         {"min", a.min},
                         {"max", a.max}});
  json problems = json::array();
  for (const auto& p : c.problems) problems.push_back({{"pointer", p.pointer}, {"detail", p.message}});
  for (const auto& p : c.malformed)
    problems.push_back({{"pointer", p.pointer}, {"detail", p.message}});
  return {{"ready", c.ready()},
          {"overview", TextChecks(c.overview)},
          {"artifacts", std::move(artifacts)},
          {"reflection", TextChecks(c.reflection)},
          {"problems", std::move(problems)}};
}

json DraftJson(const app_ev::DraftView& v) {
  json out = ev::EncodeContent(v.draft.content);
  out["enrolment_id"] = v.draft.enrolment_id;
  out["revision"] = v.draft.revision;
  out["submitted_revision"] = v.draft.submitted_revision;
  out["updated_at"] = core::FormatTime(v.draft.updated_at);
  out["checks"] = ChecksJson(v.checks);
  return out;
}

json PolicyJson(const ev::EnrolmentPolicy& p) {
  return {{"organization_id", p.organization_id},
          {"days", p.days ? json(*p.days) : json()},
          {"updated_at", core::FormatTime(p.updated_at)}};
}

json SubmissionJson(const ev::Submission& s) {
  json timeline = json::array();
  for (const auto& t : s.timeline)
    timeline.push_back({{"state", t.state}, {"at", core::FormatTime(t.at)}, {"note", t.note}});
  return {{"id", s.id},
          {"code", s.code},
          {"enrolment_id", s.enrolment_id},
          {"user_id", s.user_id},
          {"micro_credential_id", s.micro_credential_id},
          {"version", s.version},
          {"issuer_id", s.issuer_id},
          {"attempt", s.attempt},
          {"state", ToString(s.state)},
          {"school_id", TextOrNull(s.school_id)},
          {"district_id", TextOrNull(s.district_id)},
          {"return_reason", TextOrNull(s.return_reason)},
          {"submitted_at", core::FormatTime(s.submitted_at)},
          {"decided_at", Time(s.decided_at)},
          {"content", ev::EncodeContent(s.content)},
          {"timeline", std::move(timeline)}};
}

template <class T, class Encode>
Response Present(int status, const core::Result<T>& r, Encode encode) {
  if (!r.ok()) return ProblemResponse(r.error());
  return JsonResponse(status, encode(*r));
}

template <class T, class Encode>
Response Items(const core::Result<std::vector<T>>& r, Encode encode) {
  if (!r.ok()) return ProblemResponse(r.error());
  json items = json::array();
  for (const auto& item : *r) items.push_back(encode(item));
  return JsonResponse(200, {{"items", std::move(items)}});
}

std::optional<std::int64_t> ParseRevision(const std::string& text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1) return std::nullopt;
  return value;
}

// An optional empty body, or a JSON object with only the named string members.
core::Result<json> OptionalBody(const Request& req) {
  if (req.body.empty()) return json::object();
  return ParseJsonBody(req);
}

Response SaveDraft(app_ev::EvidenceContext& ctx, Request& req) {
  auto body = ParseJsonBody(req);
  if (!body.ok()) return ProblemResponse(body.error());
  std::vector<core::FieldError> errors;
  std::int64_t revision = 0;
  const auto it = body->find("revision");
  if (it == body->end() || it->is_null())
    errors.push_back({"/revision", "is required (0 before the first save)"});
  else if (!it->is_number_integer() || it->get<std::int64_t>() < 0)
    errors.push_back({"/revision", "must be the revision this edit starts from"});
  else
    revision = it->get<std::int64_t>();
  json content = *body;
  content.erase("revision");
  // Clients may send back the draft they fetched; what the server computes is ignored.
  for (const char* computed : {"enrolment_id", "submitted_revision", "updated_at", "checks"})
    content.erase(computed);
  for (const auto& [key, value] : content.items())
    if (key != "overview" && key != "artifacts" && key != "reflection")
      errors.push_back({"/" + EscapePointerToken(key), "is not a known field"});
  auto decoded = ev::DecodeContent(content);
  if (!decoded.ok())
    errors.insert(errors.end(), decoded.error().fields.begin(), decoded.error().fields.end());
  if (!errors.empty())
    return ProblemResponse(core::Error::InvalidInput("the draft has invalid fields", errors));
  auto saved = app_ev::SaveDraft(ctx, *req.principal, req.Param("id"), revision, *decoded);
  if (!saved.ok()) return ProblemResponse(saved.error());
  if (!saved->conflict) return JsonResponse(200, DraftJson(saved->draft));
  // Never overwrite silently: the client gets what is stored, to show the conflict.
  Response r = ProblemResponse(core::Error::Conflict(
      "the draft was saved elsewhere (revision " + std::to_string(saved->draft.draft.revision) +
      "); your edits were not saved"));
  json problem = json::parse(r.body);
  problem["current"] = DraftJson(saved->draft);
  r.body = problem.dump();
  return r;
}

}  // namespace

void RegisterEvidenceRoutes(Router& router, const EvidenceHandlerDeps& deps) {
  auto& ctx = deps.evidence;
  const std::string base(kEnrolments);

  router.Add({"POST", base,
              [&ctx, base](Request& req) {
                if (!req.principal) return Unauthenticated();
                auto body = ParseJsonBody(req);
                if (!body.ok()) return ProblemResponse(body.error());
                JsonReader in(*body);
                const auto mc = in.RequiredString("micro_credential_id", 100);
                if (auto done = in.Finish(); !done.ok()) return ProblemResponse(done.error());
                auto outcome = app_ev::Enrol(ctx, *req.principal, mc);
                if (!outcome.ok()) return ProblemResponse(outcome.error());
                Response r = JsonResponse(outcome->created ? 201 : 200, EnrolmentJson(outcome->view));
                r.headers.Set("Location", base + "/" + outcome->view.enrolment.id);
                return r;
              },
              "authenticated", kSmallBody, "Enrol in a published micro-credential"});

  router.Add({"GET", base,
              [&ctx](Request& req) {
                if (!req.principal) return Unauthenticated();
                return Items(app_ev::ListMyEnrolments(ctx, *req.principal), EnrolmentJson);
              },
              "authenticated", 0, "My enrolments"});

  router.Add({"GET", base + "/{id}",
              [&ctx](Request& req) {
                if (!req.principal) return Unauthenticated();
                return Present(200, app_ev::GetEnrolment(ctx, *req.principal, req.Param("id")),
                               EnrolmentJson);
              },
              "authenticated", 0, "One enrolment"});

  router.Add({"GET", base + "/{id}/draft",
              [&ctx](Request& req) {
                if (!req.principal) return Unauthenticated();
                return Present(200, app_ev::GetDraft(ctx, *req.principal, req.Param("id")),
                               DraftJson);
              },
              "authenticated", 0, "The enrolment's draft with its checks"});

  router.Add({"PUT", base + "/{id}/draft",
              [&ctx](Request& req) {
                if (!req.principal) return Unauthenticated();
                return SaveDraft(ctx, req);
              },
              "authenticated", kMaxDraftBody, "Save the draft (autosave)"});

  router.Add({"GET", base + "/{id}/draft/revisions",
              [&ctx](Request& req) {
                if (!req.principal) return Unauthenticated();
                return Items(app_ev::ListDraftRevisions(ctx, *req.principal, req.Param("id")),
                             [](const ev::DraftRevision& r) {
                               return json{{"revision", r.revision},
                                           {"saved_at", core::FormatTime(r.saved_at)}};
                             });
              },
              "authenticated", 0, "The draft's saved revisions, newest first"});

  router.Add({"GET", base + "/{id}/draft/revisions/{revision}",
              [&ctx](Request& req) {
                if (!req.principal) return Unauthenticated();
                auto revision = ParseRevision(req.Param("revision"));
                if (!revision)
                  return ProblemResponse(core::Error::NotFound("no such draft revision"));
                return Present(200,
                               app_ev::GetDraftRevision(ctx, *req.principal, req.Param("id"),
                                                        *revision),
                               [](const ev::DraftRevision& r) {
                                 json out = ev::EncodeContent(r.content);
                                 out["revision"] = r.revision;
                                 out["saved_at"] = core::FormatTime(r.saved_at);
                                 return out;
                               });
              },
              "authenticated", 0, "One saved revision, to restore from"});

  router.Add({"POST", base + "/{id}/submissions",
              [&ctx](Request& req) {
                if (!req.principal) return Unauthenticated();
                auto body = ParseJsonBody(req);
                if (!body.ok()) return ProblemResponse(body.error());
                JsonReader in(*body);
                const auto revision = in.RequiredInt("revision", 1, INT64_MAX);
                if (auto done = in.Finish(); !done.ok()) return ProblemResponse(done.error());
                auto s = app_ev::Submit(ctx, *req.principal, req.Param("id"), revision);
                if (!s.ok()) return ProblemResponse(s.error());
                Response r = JsonResponse(201, SubmissionJson(*s));
                r.headers.Set("Location", "/api/v1/submissions/" + s->id);
                return r;
              },
              "authenticated", kSmallBody, "Submit the draft as the next attempt"});

  router.Add({"GET", base + "/{id}/submissions",
              [&ctx](Request& req) {
                if (!req.principal) return Unauthenticated();
                return Items(app_ev::ListSubmissions(ctx, *req.principal, req.Param("id")),
                             SubmissionJson);
              },
              "authenticated", 0, "The enrolment's attempts"});

  router.Add({"POST", base + "/{id}/coach-sessions",
              [&ctx](Request& req) {
                if (!req.principal) return Unauthenticated();
                auto body = OptionalBody(req);
                if (!body.ok()) return ProblemResponse(body.error());
                JsonReader in(*body);
                const auto note = in.OptionalString("note", 2000).value_or("");
                if (auto done = in.Finish(); !done.ok()) return ProblemResponse(done.error());
                return Present(
                    201, app_ev::RecordCoachSession(ctx, *req.principal, req.Param("id"), note),
                    EnrolmentJson);
              },
              "issuer_admin", kSmallBody, "Record a coach session: one more attempt"});

  router.Add({"GET", "/api/v1/submissions/{id}",
              [&ctx](Request& req) {
                if (!req.principal) return Unauthenticated();
                return Present(200, app_ev::GetSubmission(ctx, *req.principal, req.Param("id")),
                               SubmissionJson);
              },
              "authenticated", 0, "One submission with its timeline"});

  router.Add({"POST", "/api/v1/submissions/{id}/withdraw",
              [&ctx](Request& req) {
                if (!req.principal) return Unauthenticated();
                auto body = OptionalBody(req);
                if (!body.ok()) return ProblemResponse(body.error());
                JsonReader in(*body);
                if (auto done = in.Finish(); !done.ok()) return ProblemResponse(done.error());
                return Present(200, app_ev::Withdraw(ctx, *req.principal, req.Param("id")),
                               SubmissionJson);
              },
              "authenticated", kSmallBody, "Withdraw a submission no reviewer has started"});

  router.Add({"PUT", "/api/v1/organizations/{id}/enrolment-policy",
              [&ctx](Request& req) {
                if (!req.principal) return Unauthenticated();
                auto body = ParseJsonBody(req);
                if (!body.ok()) return ProblemResponse(body.error());
                JsonReader in(*body);
                if (!in.Has("days")) in.AddError("/days", "is required (a number of days, or null)");
                const auto days = in.OptionalInt("days", 1, app_ev::kMaxPolicyDays);
                if (auto done = in.Finish(); !done.ok()) return ProblemResponse(done.error());
                std::optional<int> d;
                if (days) d = static_cast<int>(*days);
                return Present(200,
                               app_ev::SetEnrolmentPolicy(ctx, *req.principal, req.Param("id"), d),
                               PolicyJson);
              },
              "district_admin", kSmallBody, "Set the district's enrolment time frame"});

  router.Add({"GET", "/api/v1/organizations/{id}/enrolment-policy",
              [&ctx](Request& req) {
                if (!req.principal) return Unauthenticated();
                return Present(200,
                               app_ev::GetEnrolmentPolicy(ctx, *req.principal, req.Param("id")),
                               PolicyJson);
              },
              "district_admin", 0, "The district's enrolment time frame"});

  router.Add({"GET", "/api/v1/issuers/{id}/enrolments",
              [&ctx](Request& req) {
                if (!req.principal) return Unauthenticated();
                return Items(
                    app_ev::ListIssuerEnrolments(ctx, *req.principal, req.Param("id")),
                    EnrolmentJson);
              },
              "issuer_admin", 0, "Enrolments in the issuer's micro-credentials, newest first"});
}

}  // namespace cairn::http
