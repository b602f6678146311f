#include "http/handlers/review_handlers.hpp"

#include <limits>
#include <nlohmann/json.hpp>

#include "http/json_body.hpp"

namespace cairn::http {
namespace {

using nlohmann::json;
namespace rv = app::review;
namespace crv = core::review;

constexpr std::size_t kMaxReviewBody = 256 * 1024;
constexpr std::size_t kMaxComment = 10'000;
constexpr std::int64_t kMaxRevision = std::numeric_limits<std::int64_t>::max();

Response Unauthenticated() {
  return ProblemResponse(core::Error::Unauthenticated("sign in first"));
}

json NullOr(const std::string& s) { return s.empty() ? json() : json(s); }
json NullOr(const std::optional<double>& v) { return v ? json(*v) : json(); }
json NullOr(const std::optional<std::string>& v) { return v ? json(*v) : json(); }

json CalibrationJson(const crv::Calibration& c) {
  return {{"decided_reviews", c.decided_reviews},
          {"agreement_rate", NullOr(c.agreement_rate)},
          {"kappa", NullOr(c.kappa)}};
}

json ReviewerJson(const rv::ReviewerSummary& s) {
  const auto& p = s.profile;
  return {{"issuer_id", p.issuer_id},
          {"user_id", p.user_id},
          {"display_name", s.display_name},
          {"email", s.email},
          {"school_id", NullOr(s.school_id)},
          {"district_id", NullOr(s.district_id)},
          {"load_cap", p.load_cap},
          {"active", p.active},
          {"micro_credential_ids", p.micro_credential_ids},
          {"tags", p.tags},
          {"open_load", s.open_load},
          {"completed_reviews", s.completed_reviews},
          {"calibration", CalibrationJson(s.calibration)},
          {"created_at", core::FormatTime(p.created_at)},
          {"updated_at", core::FormatTime(p.updated_at)}};
}

json SlaOrNull(const std::optional<int>& days) { return days ? json(*days) : json(); }

// The rule a district's educators get from one issuer, and whose deadline it is.
json EffectiveJson(const crv::ReviewRule& rule, const crv::DistrictReviewPreferences* district) {
  const bool district_deadline = rule.district_applies && district && district->sla_days;
  return {{"sla_days", rule.sla_days},
          {"never_same_district", rule.never_same_district},
          {"deadline_from", district_deadline ? "district" : "issuer"}};
}

json PolicyJson(const rv::PolicyView& v) {
  const auto& p = v.policy;
  json districts = json::array();
  for (const auto& d : v.districts)
    districts.push_back({{"district_id", d.preferences.district_id},
                         {"name", d.district_name},
                         {"sla_days", SlaOrNull(d.preferences.sla_days)},
                         {"never_same_district", d.preferences.never_same_district},
                         {"applies", d.rule.district_applies},
                         {"effective", EffectiveJson(d.rule, &d.preferences)}});
  return {{"issuer_id", p.issuer_id},
          {"sla_days", p.sla_days},
          {"never_same_district", p.never_same_district},
          {"review_pay_cents", p.review_pay_cents},
          {"allow_district_preferences", p.allow_district_preferences},
          {"districts", districts}};
}

json DistrictPreferencesJson(const rv::DistrictPreferencesView& v) {
  const auto& d = v.preferences;
  json issuers = json::array();
  for (const auto& i : v.issuers)
    issuers.push_back({{"issuer_id", i.issuer_id},
                       {"name", i.name},
                       {"sla_days", i.policy.sla_days},
                       {"never_same_district", i.policy.never_same_district},
                       {"effective", EffectiveJson(i.rule, v.saved ? &d : nullptr)}});
  return {{"district_id", d.district_id},
          {"sla_days", SlaOrNull(d.sla_days)},
          {"never_same_district", d.never_same_district},
          {"updated_at", v.saved ? json(core::FormatTime(d.updated_at)) : json()},
          {"honoured_by", issuers}};
}

json PlannedJson(const rv::PlannedReview& a) {
  return {{"review_id", a.review_id},
          {"submission_id", a.submission_id},
          {"code", a.code},
          {"reviewer_id", a.reviewer_id},
          {"tie_break", a.tie_break},
          {"by_override", a.by_override},
          {"due_at", core::FormatTime(a.due_at)}};
}

json PlanJson(const rv::PlanSummary& plan) {
  json out = {{"slots_requested", plan.slots_requested},
              {"assigned", json::array()},
              {"unassigned", json::array()}};
  for (const auto& a : plan.assigned) out["assigned"].push_back(PlannedJson(a));
  for (const auto& u : plan.unassigned)
    out["unassigned"].push_back({{"submission_id", u.submission_id},
                                 {"code", u.code},
                                 {"missing", u.missing},
                                 {"reason", u.reason}});
  return out;
}

json RatingsJson(const std::vector<crv::Rating>& ratings) {
  json out = json::array();
  for (const auto& r : ratings)
    out.push_back(
        {{"criterion_id", r.criterion_id}, {"level_id", r.level_id}, {"comment", r.comment}});
  return out;
}

// The review's own fields: what every reviewer-facing answer starts from. Nothing here names the
// educator.
json ReviewCore(const crv::Review& r, const std::string& code, core::TimePoint now) {
  return {{"id", r.id},
          {"code", code},
          {"state", ToString(r.state)},
          {"tie_break", r.tie_break},
          {"revision", r.revision},
          {"micro_credential_id", r.micro_credential_id},
          {"version", r.version},
          {"assigned_at", core::FormatTime(r.assigned_at)},
          {"due_at", core::FormatTime(r.due_at)},
          {"overdue", IsOpen(r.state) && r.due_at < now},
          {"recommendation", NullOr(r.recommendation)}};
}

json RubricJson(const core::catalog::Rubric& rubric) {
  json criteria = json::array();
  for (const auto& c : rubric.criteria) {
    json levels = json::array();
    for (const auto& l : c.levels)
      levels.push_back({{"id", l.id}, {"name", l.name}, {"descriptor", l.descriptor}});
    criteria.push_back(
        {{"id", c.id}, {"name", c.name}, {"description", c.description}, {"levels", levels}});
  }
  const auto& rule = rubric.earned_rule;
  return {{"criteria", criteria},
          {"earned_rule",
           {{"level", rule.level},
            {"minimum_criteria", rule.minimum_criteria ? json(*rule.minimum_criteria) : json()},
            {"floor_level", NullOr(rule.floor_level)}}}};
}

json DetailJson(const rv::ReviewDetail& d, core::TimePoint now) {
  json out = ReviewCore(d.review, d.code, now);
  const auto& content = d.micro_credential.content;
  out["attempt"] = d.attempt;
  out["submission_state"] = d.submission_state;
  out["micro_credential_title"] = content.title;
  json overview = json::array(), artifacts = json::array(), reflection = json::array();
  for (std::size_t i = 0; i < d.content.overview.size(); ++i)
    overview.push_back(
        {{"prompt",
          i < content.submission.overview.size() ? content.submission.overview[i].prompt : ""},
         {"answer", d.content.overview[i]}});
  for (std::size_t i = 0; i < d.content.artifacts.size(); ++i) {
    const auto& a = d.content.artifacts[i];
    json item = {
        {"requirement", a.requirement},
        {"requirement_title", a.requirement >= 0 && static_cast<std::size_t>(a.requirement) <
                                                        content.submission.artifacts.size()
                                  ? content.submission.artifacts[a.requirement].title
                                  : ""},
        {"kind", i < d.artifact_kinds.size() ? d.artifact_kinds[i] : "link"},
        {"caption", a.caption}};
    if (!a.file_id.empty()) {
      item["file_id"] = a.file_id;
      item["content_url"] = "/api/v1/files/" + a.file_id + "/content";
    } else {
      item["url"] = a.url;
    }
    artifacts.push_back(std::move(item));
  }
  for (std::size_t i = 0; i < d.content.reflection.size(); ++i)
    reflection.push_back(
        {{"prompt",
          i < content.submission.reflection.size() ? content.submission.reflection[i].prompt : ""},
         {"answer", d.content.reflection[i]}});
  out["submission"] = {
      {"overview", overview}, {"artifacts", artifacts}, {"reflection", reflection}};
  out["rubric"] = RubricJson(content.rubric);
  out["ratings"] = RatingsJson(d.review.ratings);
  out["comment"] = d.review.comment;
  out["suggested_recommendation"] = NullOr(d.suggested);
  json earlier = json::array();
  for (const auto& e : d.earlier)
    earlier.push_back({{"reviewer", e.label},
                       {"ratings", RatingsJson(e.ratings)},
                       {"comment", e.comment},
                       {"recommendation", e.recommendation}});
  out["earlier_reviews"] = earlier;
  return out;
}

json FeedbackJson(const rv::Feedback& f) {
  json criteria = json::array();
  for (const auto& c : f.criteria) {
    json entries = json::array();
    for (const auto& e : c.entries)
      entries.push_back({{"reviewer", e.reviewer},
                         {"level_id", e.level_id},
                         {"level_name", e.level_name},
                         {"comment", e.comment}});
    criteria.push_back({{"criterion_id", c.criterion_id}, {"name", c.name}, {"reviews", entries}});
  }
  json reviewers = json::array();
  for (const auto& r : f.reviewers)
    reviewers.push_back({{"reviewer", r.reviewer},
                         {"recommendation", NullOr(r.recommendation)},
                         {"comment", r.comment},
                         {"tie_break", r.tie_break}});
  return {{"submission_id", f.submission_id},
          {"state", f.state},
          {"decision", NullOr(f.decision)},
          {"tie_break", f.tie_break},
          {"return_reason", NullOr(f.return_reason)},
          {"return_note", NullOr(f.return_note)},
          {"criteria", criteria},
          {"reviewers", reviewers}};
}

std::string CsvField(const std::string& text) {
  // A leading =, +, - or @ would be read as a formula by spreadsheets.
  std::string out = text;
  if (!out.empty() && (out[0] == '=' || out[0] == '+' || out[0] == '-' || out[0] == '@'))
    out = "'" + out;
  if (out.find_first_of(",\"\r\n") == std::string::npos) return out;
  std::string quoted = "\"";
  for (char c : out) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::vector<crv::Rating> ReadRatings(JsonReader& in) {
  std::vector<crv::Rating> out;
  for (auto& item : in.ObjectArray("ratings", false, 200)) {
    crv::Rating r;
    r.criterion_id = item.RequiredString("criterion_id", 200);
    r.level_id = item.OptionalString("level_id", 200).value_or("");
    r.comment = item.OptionalString("comment", kMaxComment).value_or("");
    out.push_back(std::move(r));
  }
  return out;
}

template <class Fn>
Handler Signed(Fn fn) {
  return [fn](Request& req) -> Response {
    if (!req.principal) return Unauthenticated();
    return fn(req, *req.principal);
  };
}

}  // namespace

void RegisterReviewRoutes(Router& router, rv::ReviewContext& ctx) {
  auto* c = &ctx;
  const std::string issuers = "/api/v1/issuers/{id}";

  // ---- pool ----
  router.Add({"GET", issuers + "/reviewers", Signed([c](Request& req, const rv::Principal& p) {
                auto list = rv::ListReviewers(*c, p, req.Param("id"));
                if (!list.ok()) return ProblemResponse(list.error());
                json items = json::array();
                for (const auto& s : *list) items.push_back(ReviewerJson(s));
                return JsonResponse(200, {{"items", items}});
              }),
              "issuer_admin", 0, "The issuer's reviewer pool with open loads and calibration"});
  router.Add({"GET", issuers + "/submissions", Signed([c](Request& req, const rv::Principal& p) {
                auto list = rv::ListInFlight(*c, p, req.Param("id"));
                if (!list.ok()) return ProblemResponse(list.error());
                json items = json::array();
                for (const auto& s : *list) {
                  json reviews = json::array();
                  for (const auto& r : s.reviews)
                    reviews.push_back({{"review_id", r.review_id},
                                       {"reviewer_id", r.reviewer_id},
                                       {"reviewer_name", r.reviewer_name},
                                       {"state", r.state},
                                       {"tie_break", r.tie_break},
                                       {"by_override", r.by_override},
                                       {"due_at", core::FormatTime(r.due_at)},
                                       {"overdue", r.overdue}});
                  items.push_back({{"submission_id", s.submission_id},
                                   {"code", s.code},
                                   {"micro_credential_id", s.micro_credential_id},
                                   {"version", s.version},
                                   {"attempt", s.attempt},
                                   {"state", s.state},
                                   {"submitted_at", core::FormatTime(s.submitted_at)},
                                   {"reviews", reviews}});
                }
                return JsonResponse(200, {{"items", items}});
              }),
              "issuer_admin", 0, "Submissions waiting for or in review, with their reviews"});
  router.Add({"GET", issuers + "/reviewer-candidates",
              Signed([c](Request& req, const rv::Principal& p) {
                auto list = rv::ListReviewerCandidates(*c, p, req.Param("id"));
                if (!list.ok()) return ProblemResponse(list.error());
                json items = json::array();
                for (const auto& r : *list)
                  items.push_back({{"user_id", r.user_id},
                                   {"display_name", r.display_name},
                                   {"email", r.email},
                                   {"organizations", r.organizations}});
                return JsonResponse(200, {{"items", items}});
              }),
              "issuer_admin", 0, "People who hold the reviewer role, to add to the pool"});
  router.Add({"GET", issuers + "/reviewers/{user_id}",
              Signed([c](Request& req, const rv::Principal& p) {
                auto s = rv::GetReviewer(*c, p, req.Param("id"), req.Param("user_id"));
                return s.ok() ? JsonResponse(200, ReviewerJson(*s)) : ProblemResponse(s.error());
              }),
              "issuer_admin", 0, "One reviewer of the pool"});
  router.Add(
      {"PUT", issuers + "/reviewers/{user_id}", Signed([c](Request& req, const rv::Principal& p) {
         auto body = ParseJsonBody(req);
         if (!body.ok()) return ProblemResponse(body.error());
         JsonReader in(*body);
         rv::ReviewerInput input;
         input.load_cap = static_cast<int>(in.OptionalInt("load_cap", 1, 1000).value_or(5));
         input.micro_credential_ids = in.StringArray("micro_credential_ids", false, 500, 100);
         input.tags = in.StringArray("tags", false, 100, 100);
         input.active = in.OptionalBool("active").value_or(true);
         if (auto done = in.Finish(); !done.ok()) return ProblemResponse(done.error());
         auto s = rv::PutReviewer(*c, p, req.Param("id"), req.Param("user_id"), input);
         return s.ok() ? JsonResponse(200, ReviewerJson(*s)) : ProblemResponse(s.error());
       }),
       "issuer_admin", 64 * 1024, "Add a reviewer to the pool or change their settings"});
  router.Add({"DELETE", issuers + "/reviewers/{user_id}",
              Signed([c](Request& req, const rv::Principal& p) {
                auto s = rv::DeleteReviewer(*c, p, req.Param("id"), req.Param("user_id"));
                return s.ok() ? NoContentResponse() : ProblemResponse(s.error());
              }),
              "issuer_admin", 0, "Remove a reviewer from the pool"});
  router.Add({"GET", issuers + "/review-policy", Signed([c](Request& req, const rv::Principal& p) {
                auto s = rv::GetPolicy(*c, p, req.Param("id"));
                return s.ok() ? JsonResponse(200, PolicyJson(*s)) : ProblemResponse(s.error());
              }),
              "issuer_admin", 0, "The issuer's review policy"});
  router.Add({"PUT", issuers + "/review-policy", Signed([c](Request& req, const rv::Principal& p) {
                auto body = ParseJsonBody(req);
                if (!body.ok()) return ProblemResponse(body.error());
                JsonReader in(*body);
                rv::PolicyInput input;
                input.sla_days = static_cast<int>(
                    in.OptionalInt("sla_days", 1, 365).value_or(c->default_sla_days));
                input.never_same_district = in.OptionalBool("never_same_district").value_or(false);
                input.review_pay_cents =
                    in.OptionalInt("review_pay_cents", 0, 100'000'000).value_or(0);
                input.allow_district_preferences =
                    in.OptionalBool("allow_district_preferences").value_or(false);
                if (auto done = in.Finish(); !done.ok()) return ProblemResponse(done.error());
                auto s = rv::PutPolicy(*c, p, req.Param("id"), input);
                return s.ok() ? JsonResponse(200, PolicyJson(*s)) : ProblemResponse(s.error());
              }),
              "issuer_admin", 16 * 1024, "Set the issuer's review policy"});
  const std::string districts = "/api/v1/organizations/{id}/review-preferences";
  router.Add({"GET", districts, Signed([c](Request& req, const rv::Principal& p) {
                auto v = rv::GetDistrictPreferences(*c, p, req.Param("id"));
                return v.ok() ? JsonResponse(200, DistrictPreferencesJson(*v))
                              : ProblemResponse(v.error());
              }),
              "district_admin", 0,
              "The district's review deadline and conflict rule, and the issuers that honour them"});
  router.Add({"PUT", districts, Signed([c](Request& req, const rv::Principal& p) {
                auto body = ParseJsonBody(req);
                if (!body.ok()) return ProblemResponse(body.error());
                JsonReader in(*body);
                if (!in.Has("sla_days"))
                  in.AddError("/sla_days",
                              "is required (a number of days, or null for the issuer's deadline)");
                const auto sla = in.OptionalInt("sla_days", 1, rv::kMaxDistrictSlaDays);
                rv::DistrictPreferencesInput input;
                input.never_same_district = in.RequiredBool("never_same_district");
                if (auto done = in.Finish(); !done.ok()) return ProblemResponse(done.error());
                if (sla) input.sla_days = static_cast<int>(*sla);
                auto v = rv::PutDistrictPreferences(*c, p, req.Param("id"), input);
                return v.ok() ? JsonResponse(200, DistrictPreferencesJson(*v))
                              : ProblemResponse(v.error());
              }),
              "district_admin", 4096,
              "Set the district's review deadline and conflict rule (where issuers allow them)"});
  router.Add(
      {"POST", issuers + "/assignments/run", Signed([c](Request& req, const rv::Principal& p) {
         auto plan = rv::RunAssignmentAs(*c, p, req.Param("id"));
         return plan.ok() ? JsonResponse(200, PlanJson(*plan)) : ProblemResponse(plan.error());
       }),
       "issuer_admin", 1024, "Assign reviewers to the open review slots now"});
  router.Add({"GET", issuers + "/ledger", Signed([c](Request& req, const rv::Principal& p) {
                auto lines = rv::Ledger(*c, p, req.Param("id"));
                if (!lines.ok()) return ProblemResponse(lines.error());
                const auto format = req.Query("format").value_or("json");
                if (format == "csv") {
                  std::string csv =
                      "review_id,reviewer_id,reviewer_name,submission_code,micro_credential_id,"
                      "amount_cents,completed_at\r\n";
                  for (const auto& l : *lines)
                    csv += CsvField(l.entry.review_id) + "," + CsvField(l.entry.reviewer_id) + "," +
                           CsvField(l.reviewer_name) + "," + CsvField(l.entry.submission_code) +
                           "," + CsvField(l.entry.micro_credential_id) + "," +
                           std::to_string(l.entry.amount_cents) + "," +
                           core::FormatTime(l.entry.completed_at) + "\r\n";
                  Response r = TextResponse(200, std::move(csv), "text/csv; charset=utf-8");
                  r.headers.Set("Content-Disposition",
                                "attachment; filename=\"review-ledger.csv\"");
                  return r;
                }
                if (format != "json")
                  return ProblemResponse(core::Error::InvalidInput("format must be json or csv"));
                json items = json::array();
                std::int64_t total = 0;
                for (const auto& l : *lines) {
                  total += l.entry.amount_cents;
                  items.push_back({{"review_id", l.entry.review_id},
                                   {"reviewer_id", l.entry.reviewer_id},
                                   {"reviewer_name", l.reviewer_name},
                                   {"submission_code", l.entry.submission_code},
                                   {"micro_credential_id", l.entry.micro_credential_id},
                                   {"amount_cents", l.entry.amount_cents},
                                   {"completed_at", core::FormatTime(l.entry.completed_at)}});
                }
                return JsonResponse(200, {{"items", items}, {"total_cents", total}});
              }),
              "issuer_admin", 0, "Completed reviews with their pay (JSON or ?format=csv)"});

  // ---- overrides ----
  router.Add({"POST", "/api/v1/submissions/{id}/reviewers",
              Signed([c](Request& req, const rv::Principal& p) {
                auto body = ParseJsonBody(req);
                if (!body.ok()) return ProblemResponse(body.error());
                JsonReader in(*body);
                const auto reviewer = in.RequiredString("reviewer_id", 100);
                if (auto done = in.Finish(); !done.ok()) return ProblemResponse(done.error());
                auto a = rv::AssignOverride(*c, p, req.Param("id"), reviewer);
                return a.ok() ? JsonResponse(201, PlannedJson(*a)) : ProblemResponse(a.error());
              }),
              "issuer_admin", 4096, "Assign a chosen reviewer to a submission (override)"});
  router.Add({"DELETE", "/api/v1/submissions/{id}/reviewers/{user_id}",
              Signed([c](Request& req, const rv::Principal& p) {
                auto s = rv::Unassign(*c, p, req.Param("id"), req.Param("user_id"));
                return s.ok() ? NoContentResponse() : ProblemResponse(s.error());
              }),
              "issuer_admin", 0, "Take back an unstarted review"});

  // ---- the reviewer's side ----
  router.Add(
      {"GET", "/api/v1/reviews", Signed([c](Request& req, const rv::Principal& p) {
         const auto state = req.Query("state").value_or("open");
         if (state != "open" && state != "completed")
           return ProblemResponse(core::Error::InvalidInput("state must be open or completed"));
         auto items = rv::Queue(*c, p, state == "open");
         if (!items.ok()) return ProblemResponse(items.error());
         const auto now = c->clock.Now();
         json out = json::array();
         for (const auto& item : *items) {
           json j = ReviewCore(item.review, item.code, now);
           j["micro_credential_title"] = item.micro_credential_title;
           out.push_back(std::move(j));
         }
         return JsonResponse(200, {{"items", out}});
       }),
       "authenticated", 0, "My review queue, earliest due first (?state=completed: history)"});
  router.Add({"GET", "/api/v1/reviews/stats", Signed([c](Request&, const rv::Principal& p) {
                auto s = rv::MyStats(*c, p);
                if (!s.ok()) return ProblemResponse(s.error());
                return JsonResponse(200, {{"open_reviews", s->open_reviews},
                                          {"completed_reviews", s->completed_reviews},
                                          {"calibration", CalibrationJson(s->calibration)}});
              }),
              "authenticated", 0, "My review counts and calibration"});
  router.Add({"GET", "/api/v1/reviews/{id}", Signed([c](Request& req, const rv::Principal& p) {
                auto d = rv::GetReview(*c, p, req.Param("id"));
                return d.ok() ? JsonResponse(200, DetailJson(*d, c->clock.Now()))
                              : ProblemResponse(d.error());
              }),
              "authenticated", 0, "A review assigned to me, with the anonymous submission"});
  router.Add({"PUT", "/api/v1/reviews/{id}", Signed([c](Request& req, const rv::Principal& p) {
                auto body = ParseJsonBody(req);
                if (!body.ok()) return ProblemResponse(body.error());
                JsonReader in(*body);
                const auto revision = in.RequiredInt("revision", 0, kMaxRevision);
                auto ratings = ReadRatings(in);
                const auto comment = in.OptionalString("comment", kMaxComment).value_or("");
                if (auto done = in.Finish(); !done.ok()) return ProblemResponse(done.error());
                auto d = rv::SaveReview(*c, p, req.Param("id"), revision, ratings, comment);
                return d.ok() ? JsonResponse(200, DetailJson(*d, c->clock.Now()))
                              : ProblemResponse(d.error());
              }),
              "authenticated", kMaxReviewBody, "Save my ratings (partial saves allowed)"});
  router.Add({"POST", "/api/v1/reviews/{id}/complete",
              Signed([c](Request& req, const rv::Principal& p) {
                auto body = ParseJsonBody(req);
                if (!body.ok()) return ProblemResponse(body.error());
                JsonReader in(*body);
                const auto revision = in.RequiredInt("revision", 0, kMaxRevision);
                const auto rec = in.RequiredEnum("recommendation", {"earned", "not_yet"});
                if (auto done = in.Finish(); !done.ok()) return ProblemResponse(done.error());
                auto o = rv::CompleteReview(*c, p, req.Param("id"), revision, rec);
                if (!o.ok()) return ProblemResponse(o.error());
                json out = ReviewCore(o->review, "", c->clock.Now());
                out.erase("code");
                return JsonResponse(200, {{"review", out},
                                          {"submission_state", o->submission_state},
                                          {"decision", NullOr(o->decision)},
                                          {"tie_break_opened", o->tie_break_opened}});
              }),
              "authenticated", 4096, "Complete my review, confirming the rubric's recommendation"});
  router.Add({"POST", "/api/v1/reviews/{id}/return",
              Signed([c](Request& req, const rv::Principal& p) {
                auto body = ParseJsonBody(req);
                if (!body.ok()) return ProblemResponse(body.error());
                JsonReader in(*body);
                const auto reason = in.RequiredEnum("reason", {"incomplete", "unplayable"});
                const auto note = in.OptionalString("note", 2000).value_or("");
                if (auto done = in.Finish(); !done.ok()) return ProblemResponse(done.error());
                auto r = rv::ReturnSubmission(*c, p, req.Param("id"), reason, note);
                if (!r.ok()) return ProblemResponse(r.error());
                json out = ReviewCore(*r, "", c->clock.Now());
                out.erase("code");
                return JsonResponse(200, out);
              }),
              "authenticated", 8192, "Return the submission as incomplete or unplayable"});
  router.Add({"POST", "/api/v1/reviews/{id}/recuse",
              Signed([c](Request& req, const rv::Principal& p) {
                auto body = ParseJsonBody(req);
                if (!body.ok()) return ProblemResponse(body.error());
                JsonReader in(*body);
                const auto reason = in.RequiredString("reason", 2000);
                if (auto done = in.Finish(); !done.ok()) return ProblemResponse(done.error());
                auto r = rv::Recuse(*c, p, req.Param("id"), reason);
                if (!r.ok()) return ProblemResponse(r.error());
                json out = ReviewCore(*r, "", c->clock.Now());
                out.erase("code");
                return JsonResponse(200, out);
              }),
              "authenticated", 8192, "Step aside from a review; someone else is assigned"});

  // ---- the educator's feedback ----
  router.Add({"GET", "/api/v1/submissions/{id}/feedback",
              Signed([c](Request& req, const rv::Principal& p) {
                auto f = rv::GetFeedback(*c, p, req.Param("id"));
                return f.ok() ? JsonResponse(200, FeedbackJson(*f)) : ProblemResponse(f.error());
              }),
              "authenticated", 0, "The reviewers' anonymous feedback on a decided submission"});
}

}  // namespace cairn::http
