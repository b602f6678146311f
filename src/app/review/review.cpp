#include "app/review/review.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "app/identity/context.hpp"
#include "app/notify/notify.hpp"
#include "core/catalog/repository.hpp"
#include "core/common/fault_point.hpp"
#include "core/identity/repository.hpp"

namespace cairn::app::review {
namespace {

using core::Error;
using core::Status;
using core::Transaction;
using core::evidence::Submission;
using core::evidence::SubmissionState;
using core::identity::Role;
using core::review::Review;
using core::review::ReviewState;

using core::review::kEarned;
// Submissions one assignment run looks at; more wait for the next run.
constexpr int kMaxSlotsPerRun = 5000;

Error NoSuchReview() { return Error::NotFound("no such review"); }
Error NoSuchSubmission() { return Error::NotFound("no such submission"); }

// The issuer must exist and issue; then only its admins (and platform admins) get in.
Status RequireIssuerAdmin(Transaction& tx, const Principal& actor, const std::string& issuer_id) {
  auto org = tx.Identity().FindOrganization(issuer_id);
  if (!org || !org->issuer) return Error::NotFound("no such issuer");
  if (!IsIssuerAdmin(actor, issuer_id))
    return Error::Forbidden("only the issuer's admins manage its reviews");
  return core::Ok();
}

core::review::ReviewPolicy PolicyOf(ReviewContext& ctx, Transaction& tx,
                                    const std::string& issuer_id) {
  if (auto p = tx.Reviews().FindPolicy(issuer_id)) return *p;
  core::review::ReviewPolicy p;
  p.issuer_id = issuer_id;
  p.sla_days = ctx.default_sla_days;
  return p;
}

// The rule per district for one issuer, each district's preferences read once per use case.
class DistrictRules {
 public:
  DistrictRules(Transaction& tx, core::review::ReviewPolicy policy)
      : tx_(tx), policy_(std::move(policy)) {}
  core::review::ReviewRule For(const std::string& district_id) {
    if (!policy_.allow_district_preferences || district_id.empty())
      return core::review::RuleFor(policy_, nullptr);
    auto it = cache_.find(district_id);
    if (it == cache_.end())
      it = cache_.emplace(district_id, tx_.Reviews().FindDistrictPreferences(district_id)).first;
    return core::review::RuleFor(policy_, it->second ? &*it->second : nullptr);
  }

 private:
  Transaction& tx_;
  core::review::ReviewPolicy policy_;
  std::map<std::string, std::optional<core::review::DistrictReviewPreferences>> cache_;
};

PolicyView ViewOfPolicy(Transaction& tx, const core::review::ReviewPolicy& policy) {
  PolicyView out{policy, {}};
  for (const auto& d : tx.Reviews().ListDistrictPreferences()) {
    auto org = tx.Identity().FindOrganization(d.district_id);
    out.districts.push_back(
        {d, org ? org->name : d.district_id, core::review::RuleFor(policy, &d)});
  }
  return out;
}

// Only admins of the district itself (and platform admins); anything else reads as no district.
core::Result<core::identity::Organization> RequireDistrictAdmin(Transaction& tx,
                                                                const Principal& actor,
                                                                const std::string& district_id) {
  auto org = tx.Identity().FindOrganization(district_id);
  const bool admin = actor.IsPlatformAdmin() || actor.HasRoleIn(Role::kDistrictAdmin, district_id);
  if (!org || !admin || org->kind != core::identity::OrgKind::kDistrict)
    return Error::NotFound("no such district");
  return *org;
}

DistrictPreferencesView ViewOfDistrict(Transaction& tx, const std::string& district_id) {
  DistrictPreferencesView out;
  out.preferences.district_id = district_id;
  if (auto saved = tx.Reviews().FindDistrictPreferences(district_id)) {
    out.preferences = *saved;
    out.saved = true;
  }
  for (const auto& policy : tx.Reviews().ListPoliciesAllowingDistricts()) {
    auto org = tx.Identity().FindOrganization(policy.issuer_id);
    if (!org || !org->issuer) continue;
    out.issuers.push_back({org->id, org->name, policy,
                           core::review::RuleFor(policy, out.saved ? &out.preferences : nullptr)});
  }
  return out;
}

// Where a reviewer works, for the conflict rules: a reviewer role in a school gives the school and
// its district; directly in a district, the district.
struct Placement {
  bool is_reviewer = false;
  std::string school_id;
  std::string district_id;
};

Placement PlaceReviewer(Transaction& tx, const std::string& user_id) {
  Placement out;
  for (const auto& m : tx.Identity().ListMemberships(user_id)) {
    if (m.role != Role::kReviewer) continue;
    out.is_reviewer = true;
    auto org = tx.Identity().FindOrganization(m.organization_id);
    if (!org) continue;
    if (org->kind == core::identity::OrgKind::kSchool && out.school_id.empty()) {
      out.school_id = org->id;
      out.district_id = org->parent_id;
    } else if (org->kind == core::identity::OrgKind::kDistrict && out.district_id.empty()) {
      out.district_id = org->id;
    }
  }
  return out;
}

// Micro-credential versions, looked up once per use case.
class VersionCache {
 public:
  explicit VersionCache(Transaction& tx) : tx_(tx) {}
  const core::catalog::MicroCredential* Get(const std::string& id, int version) {
    const auto key = id + "#" + std::to_string(version);
    auto it = cache_.find(key);
    if (it == cache_.end()) {
      auto mc = tx_.Catalog().GetVersion(id, version);
      it = cache_.emplace(key, mc.ok() ? std::optional(std::move(mc).value()) : std::nullopt).first;
    }
    return it->second ? &*it->second : nullptr;
  }

 private:
  Transaction& tx_;
  std::map<std::string, std::optional<core::catalog::MicroCredential>> cache_;
};

std::string DueText(core::TimePoint t) { return core::FormatTime(t).substr(0, 10); }

void NotifyAssigned(ReviewContext& ctx, Transaction& tx, const Review& r, const std::string& code,
                    const std::string& title) {
  notify::Notify(tx, ctx.clock, ctx.ids,
                 notify::Notice{r.reviewer_id, "review.assigned", "New review: " + code,
                                "Submission " + code + " for \"" + title +
                                    "\" is waiting for your review. Please complete it by " +
                                    DueText(r.due_at) + ".",
                                "/reviews/" + r.id, true});
}

void CancelOpenReviews(ReviewContext& ctx, Transaction& tx, const std::string& submission_id,
                       const std::string& except_id, const std::string& reason) {
  const auto now = ctx.clock.Now();
  for (auto r : tx.Reviews().ListSubmissionReviews(submission_id)) {
    if (r.id == except_id || !IsOpen(r.state)) continue;
    const auto from = std::string(ToString(r.state));
    const auto expected = r.revision;
    if (!r.Close(ReviewState::kCancelled, reason, now).ok()) continue;
    tx.Reviews().UpdateReview(r, expected);
    identity::Audit(tx, "system", "review.cancel", "review", r.id, from, "cancelled", now,
                    {{"reason", reason}});
  }
}

Review NewReview(ReviewContext& ctx, const Submission& s, const std::string& reviewer_id,
                 bool tie_break, bool by_override, int sla_days) {
  const auto now = ctx.clock.Now();
  Review r;
  r.id = ctx.ids.NewId("rev");
  r.submission_id = s.id;
  r.issuer_id = s.issuer_id;
  r.micro_credential_id = s.micro_credential_id;
  r.version = s.version;
  r.reviewer_id = reviewer_id;
  r.tie_break = tie_break;
  r.by_override = by_override;
  r.assigned_at = now;
  r.due_at = now + std::chrono::hours(24) * sla_days;
  return r;
}

// Moves a submitted submission to in_review when its first reviewer starts.
void MarkInReview(ReviewContext& ctx, Transaction& tx, Submission& s) {
  if (s.state != SubmissionState::kSubmitted) return;
  s.state = SubmissionState::kInReview;
  s.timeline.push_back({"in_review", ctx.clock.Now(), ""});
  tx.Evidence().UpdateSubmission(s);
}

// Records the decision with everything that belongs to it, in the completing transaction.
Status Decide(ReviewContext& ctx, Transaction& tx, Submission& s,
              const core::review::Outcome& outcome, const std::vector<Review>& reviews,
              const std::string& actor_id) {
  if (tx.Reviews().FindDecision(s.id)) return Error::Conflict("the submission is already decided");
  const auto now = ctx.clock.Now();
  tx.Reviews().InsertDecision(
      {s.id, s.issuer_id, outcome.decision, outcome.tie_break, outcome.deciding_review_id, now});
  const bool earned = outcome.decision == kEarned;
  const auto from = std::string(ToString(s.state));
  s.state = earned ? SubmissionState::kEarned : SubmissionState::kNotYet;
  s.decided_at = now;
  s.timeline.push_back({outcome.decision, now, ""});
  tx.Evidence().UpdateSubmission(s);
  auto enrolment = tx.Evidence().FindEnrolment(s.enrolment_id);
  if (earned && enrolment) {
    enrolment->state = core::evidence::EnrolmentState::kEarned;
    enrolment->updated_at = now;
    tx.Evidence().UpdateEnrolment(*enrolment);
  }
  CancelOpenReviews(ctx, tx, s.id, "", "decided");
  identity::Audit(tx, actor_id, "submission.decide", "submission", s.id, from, outcome.decision,
                  now,
                  {{"tie_break", outcome.tie_break}, {"review_id", outcome.deciding_review_id}});
  if (earned && ctx.awarder) {
    core::AwardRequest award;
    award.submission_id = s.id;
    award.enrolment_id = s.enrolment_id;
    award.user_id = s.user_id;
    award.micro_credential_id = s.micro_credential_id;
    award.version = s.version;
    award.issuer_id = s.issuer_id;
    for (const auto& a : s.content.artifacts)
      if (a.shareable && !a.file_id.empty()) award.shareable_file_ids.push_back(a.file_id);
    for (const auto& r : reviews)
      if (r.id == outcome.deciding_review_id)
        for (const auto& rating : r.ratings)
          award.final_ratings.push_back({rating.criterion_id, rating.level_id});
    award.awarded_at = now;
    auto credential = ctx.awarder->Award(tx, award);
    if (!credential.ok()) return credential.error();
  }
  VersionCache versions(tx);
  const auto* mc = versions.Get(s.micro_credential_id, s.version);
  const std::string title = mc ? mc->content.title : "your micro-credential";
  notify::Notify(tx, ctx.clock, ctx.ids,
                 notify::Notice{s.user_id, "submission.decided",
                                earned ? "Earned: " + title : "Not yet: " + title,
                                earned ? "Your submission for \"" + title +
                                             "\" earned the micro-credential. Read the reviewers' "
                                             "feedback on your submission page."
                                       : "Your submission for \"" + title +
                                             "\" is not yet there. Read the reviewers' feedback "
                                             "and try again.",
                                "/submissions/" + s.id, true});
  core::FaultPoint("decision.before_commit");
  return core::Ok();
}

std::vector<core::catalog::CriterionRating> AsCriterionRatings(
    const std::vector<core::review::Rating>& ratings) {
  std::vector<core::catalog::CriterionRating> out;
  for (const auto& r : ratings) out.push_back({r.criterion_id, r.level_id});
  return out;
}

// A partial save may leave criteria out, but what it names must exist in the rubric.
Status CheckRatings(const core::catalog::Rubric& rubric,
                    const std::vector<core::review::Rating>& ratings) {
  std::vector<core::FieldError> errors;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < ratings.size(); ++i) {
    const auto& r = ratings[i];
    const auto ptr = "/ratings/" + std::to_string(i);
    const auto it = std::find_if(rubric.criteria.begin(), rubric.criteria.end(),
                                 [&](const auto& c) { return c.id == r.criterion_id; });
    if (it == rubric.criteria.end()) {
      errors.push_back({ptr + "/criterion_id", "is not a criterion of this rubric"});
      continue;
    }
    if (!seen.insert(r.criterion_id).second)
      errors.push_back({ptr + "/criterion_id", "is rated twice"});
    if (!r.level_id.empty() && core::catalog::LevelRank(*it, r.level_id) < 0)
      errors.push_back({ptr + "/level_id", "is not a level of this criterion"});
  }
  if (!errors.empty()) return Error::InvalidInput("the ratings have invalid fields", errors);
  return core::Ok();
}

// The review and its submission, when the review is the actor's.
struct Loaded {
  Review review;
  Submission submission;
};

core::Result<Loaded> LoadMine(Transaction& tx, const Principal& actor, const std::string& id) {
  auto r = tx.Reviews().FindReview(id);
  if (!r || r->reviewer_id != actor.user_id) return NoSuchReview();
  auto s = tx.Evidence().FindSubmission(r->submission_id);
  if (!s) return NoSuchReview();
  return Loaded{*r, *s};
}

// The review must be open and its submission still waiting for a decision.
Status RequireWorkable(const Loaded& l) {
  if (l.review.state == ReviewState::kCompleted)
    return Error::Conflict("the review is already completed");
  if (!IsOpen(l.review.state))
    return Error::InvalidState("the review is " + std::string(ToString(l.review.state)));
  if (core::evidence::IsFinal(l.submission.state))
    return Error::InvalidState("the submission is " + std::string(ToString(l.submission.state)) +
                               "; this review is no longer needed");
  return core::Ok();
}

ReviewDetail Detail(Transaction& tx, const Loaded& l) {
  ReviewDetail d;
  d.review = l.review;
  d.code = l.submission.code;
  d.attempt = l.submission.attempt;
  d.submission_state = std::string(ToString(l.submission.state));
  if (auto mc = tx.Catalog().GetVersion(l.review.micro_credential_id, l.review.version); mc.ok())
    d.micro_credential = std::move(mc).value();
  d.content = l.submission.content;
  for (const auto& a : d.content.artifacts) {
    std::string kind = "link";
    if (!a.file_id.empty()) {
      auto f = tx.Files().FindFile(a.file_id);
      kind = f ? std::string(ToString(f->kind)) : "document";
    }
    d.artifact_kinds.push_back(kind);
  }
  if (l.review.tie_break) {
    int n = 0;
    for (const auto& r : tx.Reviews().ListSubmissionReviews(l.submission.id)) {
      if (r.tie_break || r.state != ReviewState::kCompleted) continue;
      d.earlier.push_back(
          {"Reviewer " + std::to_string(++n), r.ratings, r.comment, r.recommendation});
    }
  }
  auto rec = core::catalog::Recommend(d.micro_credential.content.rubric,
                                      AsCriterionRatings(l.review.ratings));
  if (rec.ok()) d.suggested = std::string(ToString(*rec));
  return d;
}

core::review::Calibration CalibrationOf(const std::vector<core::review::CalibrationRow>& rows,
                                        const std::string& reviewer_id) {
  core::review::AgreementTable table;
  for (const auto& row : rows)
    if (row.reviewer_id == reviewer_id)
      table.Add(row.recommendation == kEarned, row.decision == kEarned);
  return core::review::Calibrate(table);
}

ReviewerSummary Summarize(Transaction& tx, const core::review::ReviewerProfile& p,
                          const std::map<std::string, int>& loads,
                          const std::vector<core::review::CalibrationRow>& rows) {
  ReviewerSummary s;
  s.profile = p;
  if (auto u = tx.Identity().FindUserById(p.user_id)) {
    s.display_name = u->display_name;
    s.email = u->email;
  }
  const auto place = PlaceReviewer(tx, p.user_id);
  s.school_id = place.school_id;
  s.district_id = place.district_id;
  if (auto it = loads.find(p.user_id); it != loads.end()) s.open_load = it->second;
  s.calibration = CalibrationOf(rows, p.user_id);
  for (const auto& r : tx.Reviews().ListReviewerReviews(p.user_id, {ReviewState::kCompleted}))
    if (r.issuer_id == p.issuer_id) ++s.completed_reviews;
  return s;
}

}  // namespace

bool IsIssuerAdmin(const Principal& p, const std::string& issuer_id) {
  return p.IsPlatformAdmin() || p.HasRoleIn(Role::kIssuerAdmin, issuer_id);
}

// ---- pool and policy ----

core::Result<ReviewerSummary> PutReviewer(ReviewContext& ctx, const Principal& actor,
                                          const std::string& issuer_id, const std::string& user_id,
                                          const ReviewerInput& input) {
  ReviewerSummary out;
  auto status = ctx.uow.Write([&](Transaction& tx) -> Status {
    if (auto s = RequireIssuerAdmin(tx, actor, issuer_id); !s.ok()) return s;
    if (!tx.Identity().FindUserById(user_id)) return Error::NotFound("no such user");
    if (!PlaceReviewer(tx, user_id).is_reviewer)
      return Error::InvalidState("the user holds no reviewer role in any organisation");
    std::vector<core::FieldError> errors;
    for (std::size_t i = 0; i < input.micro_credential_ids.size(); ++i) {
      auto mc = tx.Catalog().GetCurrent(input.micro_credential_ids[i]);
      if (!mc.ok() || mc->issuer_id != issuer_id)
        errors.push_back({"/micro_credential_ids/" + std::to_string(i),
                          "is not a micro-credential of this issuer"});
    }
    if (!errors.empty()) return Error::InvalidInput("the reviewer has invalid fields", errors);
    const auto now = ctx.clock.Now();
    auto existing = tx.Reviews().FindReviewer(issuer_id, user_id);
    core::review::ReviewerProfile p;
    p.issuer_id = issuer_id;
    p.user_id = user_id;
    p.load_cap = input.load_cap;
    p.active = input.active;
    p.micro_credential_ids = input.micro_credential_ids;
    p.tags = input.tags;
    p.created_at = existing ? existing->created_at : now;
    p.updated_at = now;
    tx.Reviews().SaveReviewer(p);
    identity::Audit(tx, actor.user_id, existing ? "reviewer.update" : "reviewer.add", "reviewer",
                    issuer_id + "/" + user_id, "", p.active ? "active" : "inactive", now,
                    {{"load_cap", p.load_cap}});
    out = Summarize(tx, p, tx.Reviews().OpenLoads(issuer_id),
                    tx.Reviews().ListCalibration(issuer_id, user_id));
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return out;
}

core::Result<ReviewerSummary> GetReviewer(ReviewContext& ctx, const Principal& actor,
                                          const std::string& issuer_id,
                                          const std::string& user_id) {
  ReviewerSummary out;
  auto status = ctx.uow.Read([&](Transaction& tx) -> Status {
    if (auto s = RequireIssuerAdmin(tx, actor, issuer_id); !s.ok()) return s;
    auto p = tx.Reviews().FindReviewer(issuer_id, user_id);
    if (!p) return Error::NotFound("the user is not in this issuer's reviewer pool");
    out = Summarize(tx, *p, tx.Reviews().OpenLoads(issuer_id),
                    tx.Reviews().ListCalibration(issuer_id, user_id));
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return out;
}

Status DeleteReviewer(ReviewContext& ctx, const Principal& actor, const std::string& issuer_id,
                      const std::string& user_id) {
  return ctx.uow.Write([&](Transaction& tx) -> Status {
    if (auto s = RequireIssuerAdmin(tx, actor, issuer_id); !s.ok()) return s;
    if (!tx.Reviews().DeleteReviewer(issuer_id, user_id))
      return Error::NotFound("the user is not in this issuer's reviewer pool");
    // Open reviews stay with the reviewer: taking work away is an explicit unassign.
    identity::Audit(tx, actor.user_id, "reviewer.remove", "reviewer", issuer_id + "/" + user_id, "",
                    "", ctx.clock.Now());
    return core::Ok();
  });
}

core::Result<std::vector<InFlightSubmission>> ListInFlight(ReviewContext& ctx, const Principal& actor,
                                                           const std::string& issuer_id) {
  std::vector<InFlightSubmission> out;
  const core::TimePoint now = ctx.clock.Now();
  auto status = ctx.uow.Read([&](Transaction& tx) -> Status {
    if (auto s = RequireIssuerAdmin(tx, actor, issuer_id); !s.ok()) return s;
    std::map<std::string, std::string> names;
    for (const auto& sub : tx.Evidence().ListIssuerSubmissions(
             issuer_id, {core::evidence::SubmissionState::kSubmitted, core::evidence::SubmissionState::kInReview}, 500)) {
      InFlightSubmission item{sub.id, sub.code, sub.micro_credential_id, sub.version, sub.attempt,
                              std::string(core::evidence::ToString(sub.state)), sub.submitted_at, {}};
      for (const auto& r : tx.Reviews().ListSubmissionReviews(sub.id)) {
        auto [name, fresh] = names.try_emplace(r.reviewer_id);
        if (fresh) {
          auto user = tx.Identity().FindUserById(r.reviewer_id);
          name->second = user ? user->display_name : r.reviewer_id;
        }
        const bool open = !r.closed_at.has_value();
        item.reviews.push_back({r.id, r.reviewer_id, name->second,
                                std::string(core::review::ToString(r.state)), r.tie_break,
                                r.by_override, r.due_at, open && r.due_at < now});
      }
      out.push_back(std::move(item));
    }
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return out;
}

core::Result<std::vector<ReviewerCandidate>> ListReviewerCandidates(ReviewContext& ctx,
                                                                    const Principal& actor,
                                                                    const std::string& issuer_id) {
  std::map<std::string, ReviewerCandidate> by_user;
  auto status = ctx.uow.Read([&](Transaction& tx) -> Status {
    if (auto s = RequireIssuerAdmin(tx, actor, issuer_id); !s.ok()) return s;
    // Organisations number in the hundreds, not millions: one members query each is fine here.
    for (const auto& org : tx.Identity().ListOrganizations(10000)) {
      for (const auto& m : tx.Identity().ListMembers(org.id)) {
        if (m.role != Role::kReviewer) continue;
        auto& c = by_user[m.user_id];
        c.user_id = m.user_id;
        c.display_name = m.display_name;
        c.email = m.email;
        c.organizations.push_back(org.name);
      }
    }
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  std::vector<ReviewerCandidate> out;
  for (auto& [id, c] : by_user) out.push_back(std::move(c));
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.display_name < b.display_name; });
  return out;
}

core::Result<std::vector<ReviewerSummary>> ListReviewers(ReviewContext& ctx, const Principal& actor,
                                                         const std::string& issuer_id) {
  std::vector<ReviewerSummary> out;
  auto status = ctx.uow.Read([&](Transaction& tx) -> Status {
    if (auto s = RequireIssuerAdmin(tx, actor, issuer_id); !s.ok()) return s;
    const auto loads = tx.Reviews().OpenLoads(issuer_id);
    const auto rows = tx.Reviews().ListCalibration(issuer_id, "");
    for (const auto& p : tx.Reviews().ListReviewers(issuer_id))
      out.push_back(Summarize(tx, p, loads, rows));
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return out;
}

core::Result<PolicyView> GetPolicy(ReviewContext& ctx, const Principal& actor,
                                   const std::string& issuer_id) {
  PolicyView out;
  auto status = ctx.uow.Read([&](Transaction& tx) -> Status {
    if (auto s = RequireIssuerAdmin(tx, actor, issuer_id); !s.ok()) return s;
    out = ViewOfPolicy(tx, PolicyOf(ctx, tx, issuer_id));
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return out;
}

core::Result<PolicyView> PutPolicy(ReviewContext& ctx, const Principal& actor,
                                   const std::string& issuer_id, const PolicyInput& input) {
  PolicyView out;
  auto status = ctx.uow.Write([&](Transaction& tx) -> Status {
    if (auto s = RequireIssuerAdmin(tx, actor, issuer_id); !s.ok()) return s;
    core::review::ReviewPolicy policy{issuer_id,       input.sla_days,
                                      input.never_same_district, input.review_pay_cents,
                                      ctx.clock.Now(), input.allow_district_preferences};
    const auto before = PolicyOf(ctx, tx, issuer_id);
    tx.Reviews().SavePolicy(policy);
    identity::Audit(tx, actor.user_id, "review_policy.update", "issuer", issuer_id, "", "",
                    policy.updated_at,
                    {{"sla_days", policy.sla_days},
                     {"never_same_district", policy.never_same_district},
                     {"review_pay_cents", policy.review_pay_cents},
                     {"allow_district_preferences", policy.allow_district_preferences},
                     {"before",
                      {{"sla_days", before.sla_days},
                       {"never_same_district", before.never_same_district},
                       {"allow_district_preferences", before.allow_district_preferences}}}});
    out = ViewOfPolicy(tx, policy);
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return out;
}

// ---- a district's review preferences ----

core::Result<DistrictPreferencesView> GetDistrictPreferences(ReviewContext& ctx,
                                                             const Principal& actor,
                                                             const std::string& district_id) {
  DistrictPreferencesView out;
  auto status = ctx.uow.Read([&](Transaction& tx) -> Status {
    auto org = RequireDistrictAdmin(tx, actor, district_id);
    if (!org.ok()) return org.error();
    out = ViewOfDistrict(tx, org->id);
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return out;
}

core::Result<DistrictPreferencesView> PutDistrictPreferences(
    ReviewContext& ctx, const Principal& actor, const std::string& district_id,
    const DistrictPreferencesInput& input) {
  if (input.sla_days && (*input.sla_days < 1 || *input.sla_days > kMaxDistrictSlaDays))
    return Error::InvalidInput(
        "the review deadline is out of range",
        {{"/sla_days", "must be between 1 and " + std::to_string(kMaxDistrictSlaDays) +
                           " days, or null for the issuer's deadline"}});
  DistrictPreferencesView out;
  auto status = ctx.uow.Write([&](Transaction& tx) -> Status {
    auto org = RequireDistrictAdmin(tx, actor, district_id);
    if (!org.ok()) return org.error();
    const auto before = tx.Reviews().FindDistrictPreferences(org->id);
    core::review::DistrictReviewPreferences prefs{org->id, input.sla_days,
                                                  input.never_same_district, actor.user_id,
                                                  ctx.clock.Now()};
    tx.Reviews().SaveDistrictPreferences(prefs);
    auto sla_json = [](const std::optional<int>& d) {
      return d ? nlohmann::json(*d) : nlohmann::json();
    };
    nlohmann::json detail = {{"sla_days", sla_json(prefs.sla_days)},
                             {"never_same_district", prefs.never_same_district}};
    if (before)
      detail["before"] = {{"sla_days", sla_json(before->sla_days)},
                          {"never_same_district", before->never_same_district}};
    identity::Audit(tx, actor.user_id, "district_review_preferences.update", "organization",
                    org->id, "", "", prefs.updated_at, detail);
    out = ViewOfDistrict(tx, org->id);
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return out;
}

// ---- assignment ----

PlanSummary RunAssignmentIn(ReviewContext& ctx, Transaction& tx, const std::string& issuer_id,
                            const std::string& actor_id) {
  PlanSummary summary;
  DistrictRules rules(tx, PolicyOf(ctx, tx, issuer_id));
  VersionCache versions(tx);

  // Reviews of a withdrawn (or otherwise closed) submission hold no slot and count toward nobody's
  // load: the evidence slice only flips the submission, so they are closed here.
  std::set<std::string> closed;
  for (const auto& r : tx.Reviews().ListOpenReviews(issuer_id)) {
    if (closed.count(r.submission_id)) continue;
    auto s = tx.Evidence().FindSubmission(r.submission_id);
    if (s && !core::evidence::IsFinal(s->state)) continue;
    closed.insert(r.submission_id);
    CancelOpenReviews(ctx, tx, r.submission_id, "", s ? std::string(ToString(s->state)) : "gone");
  }

  core::review::AssignmentInput input;
  std::map<std::string, Submission> submissions;
  std::map<std::string, bool> tie_break;
  std::map<std::string, core::review::ReviewRule> rule_of;
  for (auto& s : tx.Evidence().ListIssuerSubmissions(
           issuer_id, {SubmissionState::kSubmitted, SubmissionState::kInReview}, kMaxSlotsPerRun)) {
    if (tx.Reviews().FindDecision(s.id)) continue;
    const auto reviews = tx.Reviews().ListSubmissionReviews(s.id);
    const auto need = core::review::NeedOf(reviews);
    if (need.missing == 0) continue;
    core::review::ReviewSlot slot;
    slot.submission_id = s.id;
    slot.micro_credential_id = s.micro_credential_id;
    if (const auto* mc = versions.Get(s.micro_credential_id, s.version))
      slot.tags = mc->content.tags;
    slot.educator_id = s.user_id;
    slot.school_id = s.school_id;
    slot.district_id = s.district_id;
    const auto rule = rules.For(s.district_id);
    slot.never_same_district = rule.never_same_district;
    slot.reviewers_needed = need.missing;
    for (const auto& r : reviews) slot.excluded_reviewer_ids.push_back(r.reviewer_id);
    slot.due = s.submitted_at + std::chrono::hours(24) * rule.sla_days;
    input.slots.push_back(std::move(slot));
    tie_break[s.id] = need.tie_break;
    rule_of[s.id] = rule;
    submissions.emplace(s.id, std::move(s));
  }
  if (input.slots.empty()) return summary;

  const auto loads = tx.Reviews().OpenLoads(issuer_id);
  for (const auto& p : tx.Reviews().ListReviewers(issuer_id)) {
    if (!p.active) continue;
    const auto place = PlaceReviewer(tx, p.user_id);
    if (!place.is_reviewer) continue;
    core::review::Reviewer r;
    r.id = p.user_id;
    r.school_id = place.school_id;
    r.district_id = place.district_id;
    r.micro_credential_ids = p.micro_credential_ids;
    r.tags = p.tags;
    r.load_cap = p.load_cap;
    if (auto it = loads.find(p.user_id); it != loads.end()) r.open_load = it->second;
    input.reviewers.push_back(std::move(r));
  }

  auto plan = core::review::AssignReviewers(input);
  if (!plan.ok()) return summary;
  summary.slots_requested = plan->stats.slots_requested;
  for (const auto& a : plan->assignments) {
    const auto& s = submissions.at(a.submission_id);
    const auto& rule = rule_of.at(s.id);
    Review r = NewReview(ctx, s, a.reviewer_id, tie_break[s.id], a.by_override, rule.sla_days);
    tx.Reviews().InsertReview(r);
    const auto* mc = versions.Get(s.micro_credential_id, s.version);
    NotifyAssigned(ctx, tx, r, s.code, mc ? mc->content.title : "");
    identity::Audit(tx, actor_id, "review.assign", "review", r.id, "", "assigned", r.assigned_at,
                    {{"submission_id", s.id},
                     {"reviewer_id", r.reviewer_id},
                     {"tie_break", r.tie_break},
                     {"sla_days", rule.sla_days},
                     {"district_rule", rule.district_applies}});
    summary.assigned.push_back(
        {r.id, s.id, s.code, r.reviewer_id, r.tie_break, r.by_override, r.due_at});
  }
  for (const auto& u : plan->unassigned)
    summary.unassigned.push_back({u.submission_id, submissions.at(u.submission_id).code, u.missing,
                                  std::string(core::review::ToString(u.reason))});
  return summary;
}

core::Result<PlanSummary> RunAssignment(ReviewContext& ctx, const std::string& issuer_id,
                                        const std::string& actor_id) {
  PlanSummary out;
  auto status = ctx.uow.Write([&](Transaction& tx) -> Status {
    out = RunAssignmentIn(ctx, tx, issuer_id, actor_id);
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return out;
}

core::Result<int> RunAssignmentEverywhere(ReviewContext& ctx) {
  std::vector<std::string> issuers;
  auto listed = ctx.uow.Read([&](Transaction& tx) -> Status {
    for (const auto& org : tx.Identity().ListOrganizations(100000))
      if (org.issuer) issuers.push_back(org.id);
    return core::Ok();
  });
  if (!listed.ok()) return listed.error();
  int assigned = 0;
  for (const auto& issuer : issuers) {
    auto plan = RunAssignment(ctx, issuer, "system");
    if (!plan.ok()) return plan.error();
    assigned += static_cast<int>(plan->assigned.size());
  }
  return assigned;
}

core::Result<PlanSummary> RunAssignmentAs(ReviewContext& ctx, const Principal& actor,
                                          const std::string& issuer_id) {
  PlanSummary out;
  auto status = ctx.uow.Write([&](Transaction& tx) -> Status {
    if (auto s = RequireIssuerAdmin(tx, actor, issuer_id); !s.ok()) return s;
    out = RunAssignmentIn(ctx, tx, issuer_id, actor.user_id);
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return out;
}

core::Result<PlannedReview> AssignOverride(ReviewContext& ctx, const Principal& actor,
                                           const std::string& submission_id,
                                           const std::string& reviewer_id) {
  PlannedReview out;
  auto status = ctx.uow.Write([&](Transaction& tx) -> Status {
    auto s = tx.Evidence().FindSubmission(submission_id);
    if (!s || !IsIssuerAdmin(actor, s->issuer_id)) return NoSuchSubmission();
    if (core::evidence::IsFinal(s->state) || tx.Reviews().FindDecision(s->id))
      return Error::InvalidState("the submission is " + std::string(ToString(s->state)));
    if (!tx.Reviews().FindReviewer(s->issuer_id, reviewer_id))
      return Error::InvalidInput("the reviewer is not in the issuer's pool",
                                 {{"/reviewer_id", "is not in this issuer's reviewer pool"}});
    if (reviewer_id == s->user_id)
      return Error::InvalidInput("nobody reviews their own submission",
                                 {{"/reviewer_id", "is the submitting educator"}});
    const auto reviews = tx.Reviews().ListSubmissionReviews(s->id);
    for (const auto& r : reviews)
      if (r.reviewer_id == reviewer_id)
        return Error::Conflict("the reviewer has already been on this submission");
    const auto need = core::review::NeedOf(reviews);
    if (need.missing == 0)
      return Error::InvalidState(
          "the submission has all the reviewers it needs; unassign one "
          "first");
    // An override sets aside the conflict rules, not the deadline the district chose.
    DistrictRules rules(tx, PolicyOf(ctx, tx, s->issuer_id));
    Review r = NewReview(ctx, *s, reviewer_id, need.tie_break, true,
                         rules.For(s->district_id).sla_days);
    tx.Reviews().InsertReview(r);
    tx.Reviews().InsertOverride({s->id, reviewer_id, s->issuer_id, actor.user_id, r.assigned_at});
    VersionCache versions(tx);
    const auto* mc = versions.Get(s->micro_credential_id, s->version);
    NotifyAssigned(ctx, tx, r, s->code, mc ? mc->content.title : "");
    identity::Audit(
        tx, actor.user_id, "review.override", "review", r.id, "", "assigned", r.assigned_at,
        {{"submission_id", s->id}, {"reviewer_id", reviewer_id}, {"tie_break", r.tie_break}});
    out = {r.id, s->id, s->code, reviewer_id, r.tie_break, true, r.due_at};
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return out;
}

Status Unassign(ReviewContext& ctx, const Principal& actor, const std::string& submission_id,
                const std::string& reviewer_id) {
  return ctx.uow.Write([&](Transaction& tx) -> Status {
    auto s = tx.Evidence().FindSubmission(submission_id);
    if (!s || !IsIssuerAdmin(actor, s->issuer_id)) return NoSuchSubmission();
    for (auto r : tx.Reviews().ListSubmissionReviews(s->id)) {
      if (r.reviewer_id != reviewer_id) continue;
      const auto now = ctx.clock.Now();
      const auto expected = r.revision;
      if (auto closed = r.Close(ReviewState::kUnassigned, "unassigned", now); !closed.ok())
        return closed;
      tx.Reviews().UpdateReview(r, expected);
      identity::Audit(tx, actor.user_id, "review.unassign", "review", r.id, "assigned",
                      "unassigned", now, {{"submission_id", s->id}});
      return core::Ok();
    }
    return Error::NotFound("the reviewer has no review of this submission");
  });
}

// ---- the reviewer's side ----

core::Result<std::vector<QueueItem>> Queue(ReviewContext& ctx, const Principal& actor, bool open) {
  std::vector<QueueItem> out;
  auto status = ctx.uow.Read([&](Transaction& tx) -> Status {
    VersionCache versions(tx);
    const auto now = ctx.clock.Now();
    const std::vector<ReviewState> states =
        open ? std::vector{ReviewState::kAssigned, ReviewState::kInProgress}
             : std::vector{ReviewState::kCompleted};
    for (const auto& r : tx.Reviews().ListReviewerReviews(actor.user_id, states)) {
      auto s = tx.Evidence().FindSubmission(r.submission_id);
      if (!s) continue;
      // A withdrawn or returned submission's open reviews are cancelled by the next run; they are
      // no work for anyone now.
      if (open && core::evidence::IsFinal(s->state)) continue;
      QueueItem item;
      item.review = r;
      item.code = s->code;
      if (const auto* mc = versions.Get(r.micro_credential_id, r.version))
        item.micro_credential_title = mc->content.title;
      item.overdue = open && r.due_at < now;
      out.push_back(std::move(item));
    }
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return out;
}

core::Result<ReviewDetail> GetReview(ReviewContext& ctx, const Principal& actor,
                                     const std::string& review_id) {
  ReviewDetail out;
  auto status = ctx.uow.Read([&](Transaction& tx) -> Status {
    auto l = LoadMine(tx, actor, review_id);
    if (!l.ok()) return l.error();
    out = Detail(tx, *l);
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return out;
}

core::Result<ReviewDetail> SaveReview(ReviewContext& ctx, const Principal& actor,
                                      const std::string& review_id, std::int64_t revision,
                                      const std::vector<core::review::Rating>& ratings,
                                      const std::string& comment) {
  ReviewDetail out;
  auto status = ctx.uow.Write([&](Transaction& tx) -> Status {
    auto l = LoadMine(tx, actor, review_id);
    if (!l.ok()) return l.error();
    if (auto s = RequireWorkable(*l); !s.ok()) return s;
    if (l->review.revision != revision)
      return Error::Conflict("the review was saved elsewhere; reload it (revision " +
                             std::to_string(l->review.revision) + ")");
    auto mc = tx.Catalog().GetVersion(l->review.micro_credential_id, l->review.version);
    if (!mc.ok()) return mc.error();
    if (auto s = CheckRatings(mc->content.rubric, ratings); !s.ok()) return s;
    const auto now = ctx.clock.Now();
    Review& r = l->review;
    const auto from = std::string(ToString(r.state));
    if (auto saved = r.Save(ratings, comment, now); !saved.ok()) return saved;
    if (!tx.Reviews().UpdateReview(r, revision))
      return Error::Conflict("the review was saved elsewhere; reload it");
    MarkInReview(ctx, tx, l->submission);
    if (from != "in_progress")
      identity::Audit(tx, actor.user_id, "review.start", "review", r.id, from, "in_progress", now);
    out = Detail(tx, *l);
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return out;
}

core::Result<CompleteOutcome> CompleteReview(ReviewContext& ctx, const Principal& actor,
                                             const std::string& review_id, std::int64_t revision,
                                             const std::string& recommendation) {
  CompleteOutcome out;
  auto status = ctx.uow.Write([&](Transaction& tx) -> Status {
    auto l = LoadMine(tx, actor, review_id);
    if (!l.ok()) return l.error();
    if (auto s = RequireWorkable(*l); !s.ok()) return s;
    if (tx.Reviews().FindDecision(l->submission.id))
      return Error::Conflict("the submission is already decided");
    if (l->review.revision != revision)
      return Error::Conflict("the review was saved elsewhere; reload it (revision " +
                             std::to_string(l->review.revision) + ")");
    auto mc = tx.Catalog().GetVersion(l->review.micro_credential_id, l->review.version);
    if (!mc.ok()) return mc.error();
    auto rec = core::catalog::Recommend(mc->content.rubric, AsCriterionRatings(l->review.ratings));
    if (!rec.ok()) {
      auto e = rec.error();
      e.message = "every criterion needs a level before the review can be completed: " + e.message;
      return e;
    }
    // Each criterion gets a level and a comment: the educator's feedback is made of them.
    std::vector<core::FieldError> missing;
    for (std::size_t i = 0; i < l->review.ratings.size(); ++i)
      if (l->review.ratings[i].comment.find_first_not_of(" \t\r\n") == std::string::npos)
        missing.push_back({"/ratings/" + std::to_string(i) + "/comment", "is required"});
    if (!missing.empty())
      return Error::InvalidInput(
          "every criterion needs a comment before the review can be completed", missing);
    const std::string suggested(ToString(*rec));
    if (recommendation != suggested)
      return Error::InvalidInput(
          "the rubric's Earned rule gives \"" + suggested +
              "\" for these ratings; change the "
              "ratings or confirm \"" +
              suggested + "\"",
          {{"/recommendation", "must be \"" + suggested + "\" for these ratings"}});
    const auto now = ctx.clock.Now();
    Review& r = l->review;
    const auto from = std::string(ToString(r.state));
    if (auto done = r.Complete(suggested, now); !done.ok()) return done;
    if (!tx.Reviews().UpdateReview(r, revision))
      return Error::Conflict("the review was saved elsewhere; reload it");
    MarkInReview(ctx, tx, l->submission);
    const auto policy = PolicyOf(ctx, tx, r.issuer_id);
    tx.Reviews().InsertLedger({r.id, r.reviewer_id, r.issuer_id, l->submission.code,
                               r.micro_credential_id, policy.review_pay_cents, now});
    identity::Audit(tx, actor.user_id, "review.complete", "review", r.id, from, "completed", now,
                    {{"recommendation", suggested}, {"tie_break", r.tie_break}});

    const auto reviews = tx.Reviews().ListSubmissionReviews(l->submission.id);
    if (auto outcome = core::review::DecisionOf(reviews)) {
      if (auto s = Decide(ctx, tx, l->submission, *outcome, reviews, actor.user_id); !s.ok())
        return s;
      out.decision = outcome->decision;
    } else if (core::review::NeedOf(reviews).tie_break) {
      RunAssignmentIn(ctx, tx, r.issuer_id, "system");
      out.tie_break_opened = true;
    }
    out.review = r;
    out.submission_state = std::string(ToString(l->submission.state));
    core::FaultPoint("review.before_commit");
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return out;
}

core::Result<Review> ReturnSubmission(ReviewContext& ctx, const Principal& actor,
                                      const std::string& review_id, const std::string& reason,
                                      const std::string& note) {
  Review out;
  auto status = ctx.uow.Write([&](Transaction& tx) -> Status {
    auto l = LoadMine(tx, actor, review_id);
    if (!l.ok()) return l.error();
    if (auto s = RequireWorkable(*l); !s.ok()) return s;
    const auto now = ctx.clock.Now();
    Review& r = l->review;
    const auto expected = r.revision;
    const auto from = std::string(ToString(r.state));
    if (auto closed =
            r.Close(ReviewState::kReturned, note.empty() ? reason : reason + ": " + note, now);
        !closed.ok())
      return closed;
    if (!tx.Reviews().UpdateReview(r, expected))
      return Error::Conflict("the review was saved elsewhere; reload it");
    CancelOpenReviews(ctx, tx, l->submission.id, r.id, "returned");

    Submission& s = l->submission;
    const auto sub_from = std::string(ToString(s.state));
    s.state = SubmissionState::kReturned;
    s.return_reason = reason;
    s.timeline.push_back({"returned", now, note.empty() ? reason : reason + ": " + note});
    tx.Evidence().UpdateSubmission(s);
    if (auto e = tx.Evidence().FindEnrolment(s.enrolment_id)) {
      e->attempts_used = std::max(0, e->attempts_used - 1);
      e->updated_at = now;
      tx.Evidence().UpdateEnrolment(*e);
    }
    VersionCache versions(tx);
    const auto* mc = versions.Get(s.micro_credential_id, s.version);
    const std::string title = mc ? mc->content.title : "your micro-credential";
    notify::Notify(tx, ctx.clock, ctx.ids,
                   notify::Notice{s.user_id, "submission.returned", "Returned: " + title,
                                  "A reviewer returned your submission for \"" + title + "\" as " +
                                      reason + (note.empty() ? "" : " (" + note + ")") +
                                      ". This attempt does not count: fix your draft and submit "
                                      "again.",
                                  "/submissions/" + s.id, true});
    identity::Audit(tx, actor.user_id, "review.return", "review", r.id, from, "returned", now,
                    {{"reason", reason}});
    identity::Audit(tx, actor.user_id, "submission.return", "submission", s.id, sub_from,
                    "returned", now, {{"reason", reason}});
    out = r;
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return out;
}

core::Result<Review> Recuse(ReviewContext& ctx, const Principal& actor,
                            const std::string& review_id, const std::string& reason) {
  Review out;
  auto status = ctx.uow.Write([&](Transaction& tx) -> Status {
    auto l = LoadMine(tx, actor, review_id);
    if (!l.ok()) return l.error();
    if (auto s = RequireWorkable(*l); !s.ok()) return s;
    const auto now = ctx.clock.Now();
    Review& r = l->review;
    const auto expected = r.revision;
    const auto from = std::string(ToString(r.state));
    if (auto closed = r.Close(ReviewState::kRecused, reason, now); !closed.ok()) return closed;
    if (!tx.Reviews().UpdateReview(r, expected))
      return Error::Conflict("the review was saved elsewhere; reload it");
    identity::Audit(tx, actor.user_id, "review.recuse", "review", r.id, from, "recused", now,
                    {{"reason", reason}});
    RunAssignmentIn(ctx, tx, r.issuer_id, "system");
    out = r;
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return out;
}

// ---- deadlines ----

core::Result<OverdueOutcome> ReleaseOverdue(ReviewContext& ctx, core::TimePoint now) {
  OverdueOutcome out;
  auto status = ctx.uow.Write([&](Transaction& tx) -> Status {
    out = {};
    std::set<std::string> issuers;
    for (auto r : tx.Reviews().ListOverdue(now, 500)) {
      auto s = tx.Evidence().FindSubmission(r.submission_id);
      const bool moot = !s || core::evidence::IsFinal(s->state);
      const auto expected = r.revision;
      const auto from = std::string(ToString(r.state));
      if (!r.Close(moot ? ReviewState::kCancelled : ReviewState::kReleased,
                   moot ? "moot" : "overdue", now)
               .ok())
        continue;
      tx.Reviews().UpdateReview(r, expected);
      identity::Audit(tx, "system", moot ? "review.cancel" : "review.release", "review", r.id, from,
                      std::string(ToString(r.state)), now);
      if (moot) {
        ++out.cancelled;
        continue;
      }
      ++out.released;
      issuers.insert(r.issuer_id);
      notify::Notify(
          tx, ctx.clock, ctx.ids,
          notify::Notice{r.reviewer_id, "review.overdue", "Review released: " + s->code,
                         "Your review of submission " + s->code + " was due " + DueText(r.due_at) +
                             " and has been given to another reviewer. Thank you for "
                             "your time.",
                         "/reviews", true});
    }
    for (const auto& issuer : issuers)
      out.reassigned +=
          static_cast<int>(RunAssignmentIn(ctx, tx, issuer, "system").assigned.size());
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return out;
}

// ---- feedback, calibration and ledger ----

core::Result<Feedback> GetFeedback(ReviewContext& ctx, const Principal& actor,
                                   const std::string& submission_id) {
  Feedback out;
  auto status = ctx.uow.Read([&](Transaction& tx) -> Status {
    auto s = tx.Evidence().FindSubmission(submission_id);
    if (!s || (s->user_id != actor.user_id && !IsIssuerAdmin(actor, s->issuer_id)))
      return NoSuchSubmission();
    const auto decision = tx.Reviews().FindDecision(s->id);
    if (!decision && s->state != SubmissionState::kReturned)
      return Error::InvalidState("feedback is shown once the submission is decided or returned");
    out.submission_id = s->id;
    out.state = std::string(ToString(s->state));
    if (decision) {
      out.decision = decision->decision;
      out.tie_break = decision->tie_break;
    }
    // Reviewers are numbered in the order they finished, the tie-break always last.
    std::vector<Review> shown;
    for (const auto& r : tx.Reviews().ListSubmissionReviews(s->id))
      if (r.state == ReviewState::kCompleted || r.state == ReviewState::kReturned)
        shown.push_back(r);
    std::stable_sort(shown.begin(), shown.end(), [](const Review& a, const Review& b) {
      if (a.tie_break != b.tie_break) return !a.tie_break;
      return a.closed_at < b.closed_at;
    });
    auto mc = tx.Catalog().GetVersion(s->micro_credential_id, s->version);
    if (!mc.ok()) return mc.error();
    for (const auto& c : mc->content.rubric.criteria) out.criteria.push_back({c.id, c.name, {}});
    for (std::size_t i = 0; i < shown.size(); ++i) {
      const auto& r = shown[i];
      const auto label = "Reviewer " + std::to_string(i + 1);
      if (r.state == ReviewState::kReturned) {
        out.return_reason = s->return_reason;
        out.return_note = r.close_reason;
      }
      out.reviewers.push_back({label, r.recommendation, r.comment, r.tie_break});
      for (const auto& rating : r.ratings) {
        for (std::size_t k = 0; k < out.criteria.size(); ++k) {
          if (out.criteria[k].criterion_id != rating.criterion_id) continue;
          std::string level_name;
          for (const auto& level : mc->content.rubric.criteria[k].levels)
            if (level.id == rating.level_id) level_name = level.name;
          out.criteria[k].entries.push_back({label, rating.level_id, level_name, rating.comment});
        }
      }
    }
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return out;
}

core::Result<ReviewerStats> MyStats(ReviewContext& ctx, const Principal& actor) {
  ReviewerStats out;
  auto status = ctx.uow.Read([&](Transaction& tx) -> Status {
    out.open_reviews = static_cast<int>(
        tx.Reviews()
            .ListReviewerReviews(actor.user_id, {ReviewState::kAssigned, ReviewState::kInProgress})
            .size());
    out.completed_reviews = static_cast<int>(
        tx.Reviews().ListReviewerReviews(actor.user_id, {ReviewState::kCompleted}).size());
    out.calibration = CalibrationOf(tx.Reviews().ListCalibration("", actor.user_id), actor.user_id);
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return out;
}

core::Result<std::vector<LedgerLine>> Ledger(ReviewContext& ctx, const Principal& actor,
                                             const std::string& issuer_id) {
  std::vector<LedgerLine> out;
  auto status = ctx.uow.Read([&](Transaction& tx) -> Status {
    if (auto s = RequireIssuerAdmin(tx, actor, issuer_id); !s.ok()) return s;
    std::map<std::string, std::string> names;
    for (const auto& e : tx.Reviews().ListLedger(issuer_id)) {
      auto it = names.find(e.reviewer_id);
      if (it == names.end()) {
        auto u = tx.Identity().FindUserById(e.reviewer_id);
        it = names.emplace(e.reviewer_id, u ? u->display_name : "").first;
      }
      out.push_back({e, it->second});
    }
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return out;
}

// ---- evidence files ----

FileRole FileAccessFor(Transaction& tx, const Principal& principal,
                       const core::evidence::EvidenceFile& file) {
  if (auto e = tx.Evidence().FindEnrolment(file.enrolment_id);
      e && IsIssuerAdmin(principal, e->issuer_id))
    return FileRole::kIssuerAdmin;
  // While assigned or working on it, and after completing it until the decision. The file's own
  // enrolment bounds the search: a few attempts, a few reviews each.
  for (const auto& s : tx.Evidence().ListSubmissions(file.enrolment_id)) {
    if (core::evidence::IsFinal(s.state)) continue;
    const bool uses_file = std::any_of(s.content.artifacts.begin(), s.content.artifacts.end(),
                                       [&](const auto& a) { return a.file_id == file.id; });
    if (!uses_file) continue;
    for (const auto& r : tx.Reviews().ListSubmissionReviews(s.id))
      if (r.reviewer_id == principal.user_id &&
          (IsOpen(r.state) || r.state == ReviewState::kCompleted))
        return FileRole::kReviewer;
  }
  return FileRole::kNone;
}

}  // namespace cairn::app::review
