#include "app/evidence/evidence.hpp"

#include <nlohmann/json.hpp>

#include "app/identity/context.hpp"
#include "core/catalog/repository.hpp"
#include "core/common/fault_point.hpp"
#include "core/evidence/codec.hpp"
#include "core/identity/organization.hpp"
#include "core/identity/repository.hpp"
#include "core/ports/jobs.hpp"

namespace cairn::app::evidence {
namespace {

using core::Error;
using core::Status;
using core::Transaction;
using core::identity::Role;
using ev::Enrolment;
using ev::Submission;
using ev::SubmissionState;

enum class Access { kNone, kOwner, kIssuerAdmin };

bool IsIssuerAdmin(const Principal& actor, const std::string& issuer_id) {
  return actor.IsPlatformAdmin() || actor.HasRoleIn(Role::kIssuerAdmin, issuer_id);
}

Access AccessTo(const Principal& actor, const std::string& owner_id, const std::string& issuer_id) {
  if (actor.user_id == owner_id) return Access::kOwner;
  if (IsIssuerAdmin(actor, issuer_id)) return Access::kIssuerAdmin;
  return Access::kNone;
}

Error NoEnrolment() { return Error::NotFound("no such enrolment"); }
Error NoSubmission() { return Error::NotFound("no such submission"); }

// The enrolment when the actor may see it; `owner_only` hides it from everyone but its educator
// (and platform admins, who may read everything).
core::Result<Enrolment> LoadEnrolment(Transaction& tx, const Principal& actor,
                                      const std::string& id, bool owner_only) {
  auto e = tx.Evidence().FindEnrolment(id);
  if (!e) return NoEnrolment();
  const Access access = AccessTo(actor, e->user_id, e->issuer_id);
  if (access == Access::kNone) return NoEnrolment();
  if (owner_only && access != Access::kOwner && !actor.IsPlatformAdmin()) return NoEnrolment();
  return *e;
}

core::Result<core::catalog::MicroCredential> PinnedVersion(Transaction& tx, const Enrolment& e) {
  return tx.Catalog().GetVersion(e.micro_credential_id, e.version);
}

EnrolmentView ViewOf(Transaction& tx, const Enrolment& e) {
  EnrolmentView v;
  v.enrolment = e;
  if (auto mc = PinnedVersion(tx, e); mc.ok()) v.title = mc->content.title;
  auto draft = tx.Evidence().FindDraft(e.id);
  if (draft) v.draft_revision = draft->revision;
  auto submissions = tx.Evidence().ListSubmissions(e.id);
  if (!submissions.empty()) {
    v.latest = std::move(submissions.back());
    v.latest->content = {};
  }
  v.next_step = ev::NextStep(e, draft, v.latest);
  v.attempts_left = ev::AttemptsLeft(e);
  return v;
}

// The educator's school and district at this moment: an educator membership in a school gives
// the school and its district; one directly in a district gives the district only.
std::pair<std::string, std::string> SchoolAndDistrict(Transaction& tx, const std::string& user_id) {
  std::string school, district;
  for (const auto& m : tx.Identity().ListMemberships(user_id)) {
    if (m.role != Role::kEducator) continue;
    auto org = tx.Identity().FindOrganization(m.organization_id);
    if (!org) continue;
    if (org->kind == core::identity::OrgKind::kSchool && school.empty()) {
      school = org->id;
      district = org->parent_id;
    } else if (org->kind == core::identity::OrgKind::kDistrict && district.empty()) {
      district = org->id;
    }
  }
  return {school, district};
}

ev::FileLookup FilesOf(Transaction& tx, const std::string& owner_id) {
  return [&tx, owner_id](const std::string& id) -> std::optional<ev::EvidenceFile> {
    if (id.rfind("fil_", 0) != 0) return std::nullopt;
    auto f = tx.Files().FindFile(id);
    if (!f || f->owner_id != owner_id) return std::nullopt;
    return f;
  };
}

core::Result<DraftView> Checked(Transaction& tx, const Enrolment& e, ev::Draft draft) {
  auto mc = PinnedVersion(tx, e);
  if (!mc.ok()) return mc.error();
  DraftView view;
  view.checks =
      ev::CheckContent(mc->content.submission, draft.content, FilesOf(tx, e.user_id), e.id);
  view.draft = std::move(draft);
  return view;
}

ev::Draft EmptyDraft(const Enrolment& e) {
  ev::Draft d;
  d.enrolment_id = e.id;
  d.updated_at = e.created_at;
  return d;
}

void AuditEvidence(Transaction& tx, core::TimePoint at, const Principal& actor, const char* action,
                   const char* type, const std::string& id, std::string_view from,
                   std::string_view to, const nlohmann::json& detail = nlohmann::json::object()) {
  identity::Audit(tx, actor.user_id, action, type, id, from, to, at, detail);
}

template <class T>
core::Result<T> ReadValue(EvidenceContext& ctx, const std::function<core::Result<T>(Transaction&)>& fn) {
  std::optional<T> out;
  auto status = ctx.uow.Read([&](Transaction& tx) -> Status {
    auto r = fn(tx);
    if (!r.ok()) return r.error();
    out = std::move(r).value();
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return std::move(*out);
}

template <class T>
core::Result<T> WriteValue(EvidenceContext& ctx,
                           const std::function<core::Result<T>(Transaction&)>& fn) {
  std::optional<T> out;
  auto status = ctx.uow.Write([&](Transaction& tx) -> Status {
    auto r = fn(tx);
    if (!r.ok()) return r.error();
    out = std::move(r).value();
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return std::move(*out);
}

}  // namespace

core::Result<EnrolOutcome> Enrol(EvidenceContext& ctx, const Principal& actor,
                                 const std::string& micro_credential_id) {
  auto outcome = WriteValue<EnrolOutcome>(ctx, [&](Transaction& tx) -> core::Result<EnrolOutcome> {
    if (auto open = tx.Evidence().FindOpenEnrolment(actor.user_id, micro_credential_id))
      return EnrolOutcome{ViewOf(tx, *open), false};
    auto mc = tx.Catalog().GetCurrent(micro_credential_id);
    if (!mc.ok() || mc->state == core::catalog::State::kDraft)
      return Error::InvalidInput("no such micro-credential",
                                 {{"/micro_credential_id", "is not a published micro-credential"}});
    if (mc->state != core::catalog::State::kPublished)
      return Error::InvalidState("this micro-credential was retired and takes no new enrolments");
    const auto now = ctx.clock.Now();
    Enrolment e;
    e.id = ctx.ids.NewId("enr");
    e.user_id = actor.user_id;
    e.micro_credential_id = mc->id;
    e.version = mc->version;
    e.issuer_id = mc->issuer_id;
    e.attempt_cap = mc->content.max_attempts;
    e.created_at = e.updated_at = now;
    const auto [school, district] = SchoolAndDistrict(tx, actor.user_id);
    if (!district.empty()) {
      auto policy = tx.Evidence().FindEnrolmentPolicy(district);
      if (policy && policy->days) e.due_at = now + std::chrono::hours(24) * *policy->days;
    }
    tx.Evidence().InsertEnrolment(e);
    AuditEvidence(tx, now, actor, "enrolment.create", "enrolment", e.id, "", "active",
                  {{"micro_credential_id", e.micro_credential_id}, {"version", e.version}});
    return EnrolOutcome{ViewOf(tx, e), true};
  });
  if (outcome.ok() || outcome.error().code != core::ErrorCode::kConflict) return outcome;
  // Two enrol requests raced and the other one won: answer with its enrolment.
  return ReadValue<EnrolOutcome>(ctx, [&](Transaction& tx) -> core::Result<EnrolOutcome> {
    auto open = tx.Evidence().FindOpenEnrolment(actor.user_id, micro_credential_id);
    if (!open) return Error::Conflict("the enrolment changed; try again");
    return EnrolOutcome{ViewOf(tx, *open), false};
  });
}

core::Result<std::vector<EnrolmentView>> ListMyEnrolments(EvidenceContext& ctx,
                                                          const Principal& actor) {
  return ReadValue<std::vector<EnrolmentView>>(
      ctx, [&](Transaction& tx) -> core::Result<std::vector<EnrolmentView>> {
        std::vector<EnrolmentView> out;
        for (const auto& e : tx.Evidence().ListEnrolments(actor.user_id))
          out.push_back(ViewOf(tx, e));
        return out;
      });
}

core::Result<EnrolmentView> GetEnrolment(EvidenceContext& ctx, const Principal& actor,
                                         const std::string& id) {
  return ReadValue<EnrolmentView>(ctx, [&](Transaction& tx) -> core::Result<EnrolmentView> {
    auto e = LoadEnrolment(tx, actor, id, false);
    if (!e.ok()) return e.error();
    return ViewOf(tx, *e);
  });
}

core::Result<std::vector<EnrolmentView>> ListIssuerEnrolments(EvidenceContext& ctx,
                                                              const Principal& actor,
                                                              const std::string& issuer_id) {
  if (!IsIssuerAdmin(actor, issuer_id))
    return Error::Forbidden("only the issuer's admins see its enrolments");
  return ReadValue<std::vector<EnrolmentView>>(
      ctx, [&](Transaction& tx) -> core::Result<std::vector<EnrolmentView>> {
        std::vector<EnrolmentView> out;
        for (const auto& e : tx.Evidence().ListIssuerEnrolments(issuer_id, kIssuerPage))
          out.push_back(ViewOf(tx, e));
        return out;
      });
}

core::Result<DraftView> GetDraft(EvidenceContext& ctx, const Principal& actor,
                                 const std::string& enrolment_id) {
  return ReadValue<DraftView>(ctx, [&](Transaction& tx) -> core::Result<DraftView> {
    auto e = LoadEnrolment(tx, actor, enrolment_id, true);
    if (!e.ok()) return e.error();
    auto draft = tx.Evidence().FindDraft(e->id);
    return Checked(tx, *e, draft ? *draft : EmptyDraft(*e));
  });
}

core::Result<SaveOutcome> SaveDraft(EvidenceContext& ctx, const Principal& actor,
                                    const std::string& enrolment_id,
                                    std::int64_t expected_revision,
                                    const ev::SubmissionContent& content) {
  return WriteValue<SaveOutcome>(ctx, [&](Transaction& tx) -> core::Result<SaveOutcome> {
    auto e = LoadEnrolment(tx, actor, enrolment_id, true);
    if (!e.ok()) return e.error();
    if (e->user_id != actor.user_id)
      return Error::Forbidden("only the educator edits their draft");
    if (e->state != ev::EnrolmentState::kActive)
      return Error::InvalidState("the enrolment is " + std::string(ToString(e->state)) +
                                 "; its draft no longer changes");
    const auto stored = tx.Evidence().FindDraft(e->id);
    const std::int64_t current = stored ? stored->revision : 0;
    if (current != expected_revision) {
      auto view = Checked(tx, *e, stored ? *stored : EmptyDraft(*e));
      if (!view.ok()) return view.error();
      return SaveOutcome{true, std::move(view).value()};
    }
    ev::Draft draft;
    draft.enrolment_id = e->id;
    draft.revision = current + 1;
    draft.content = content;
    draft.updated_at = ctx.clock.Now();
    draft.submitted_revision = stored ? stored->submitted_revision : 0;
    auto view = Checked(tx, *e, draft);
    if (!view.ok()) return view.error();
    if (!view->checks.malformed.empty())
      return Error::InvalidInput("the draft refers to something that does not exist",
                                 view->checks.malformed);
    if (!tx.Evidence().SaveDraft(draft, expected_revision)) {
      auto latest = tx.Evidence().FindDraft(e->id);
      auto conflict = Checked(tx, *e, latest ? *latest : EmptyDraft(*e));
      if (!conflict.ok()) return conflict.error();
      return SaveOutcome{true, std::move(conflict).value()};
    }
    // Autosave runs every few seconds; the audit trail records the saves, not their contents.
    AuditEvidence(tx, draft.updated_at, actor, "draft.save", "enrolment", e->id, "", "",
                  {{"revision", draft.revision}});
    return SaveOutcome{false, std::move(view).value()};
  });
}

core::Result<std::vector<ev::DraftRevision>> ListDraftRevisions(EvidenceContext& ctx,
                                                                const Principal& actor,
                                                                const std::string& enrolment_id) {
  return ReadValue<std::vector<ev::DraftRevision>>(
      ctx, [&](Transaction& tx) -> core::Result<std::vector<ev::DraftRevision>> {
        auto e = LoadEnrolment(tx, actor, enrolment_id, true);
        if (!e.ok()) return e.error();
        return tx.Evidence().ListDraftRevisions(e->id, kRevisionPage);
      });
}

core::Result<ev::DraftRevision> GetDraftRevision(EvidenceContext& ctx, const Principal& actor,
                                                 const std::string& enrolment_id,
                                                 std::int64_t revision) {
  return ReadValue<ev::DraftRevision>(
      ctx, [&](Transaction& tx) -> core::Result<ev::DraftRevision> {
        auto e = LoadEnrolment(tx, actor, enrolment_id, true);
        if (!e.ok()) return e.error();
        auto r = tx.Evidence().FindDraftRevision(e->id, revision);
        if (!r) return Error::NotFound("no such draft revision (the newest 200 are kept)");
        return *r;
      });
}

core::Result<Submission> Submit(EvidenceContext& ctx, const Principal& actor,
                                const std::string& enrolment_id, std::int64_t revision) {
  return WriteValue<Submission>(ctx, [&](Transaction& tx) -> core::Result<Submission> {
    auto e = LoadEnrolment(tx, actor, enrolment_id, true);
    if (!e.ok()) return e.error();
    if (e->user_id != actor.user_id) return Error::Forbidden("only the educator submits");
    if (e->state != ev::EnrolmentState::kActive)
      return Error::InvalidState("the enrolment is " + std::string(ToString(e->state)) +
                                 "; there is nothing more to submit");
    const auto draft = tx.Evidence().FindDraft(e->id);
    if (!draft) return Error::InvalidState("save the draft before submitting it");
    if (draft->revision != revision)
      return Error::Conflict("the draft changed since revision " + std::to_string(revision) +
                             " (it is at revision " + std::to_string(draft->revision) +
                             "); review it and submit again");
    auto attempts = tx.Evidence().ListSubmissions(e->id);
    for (const auto& s : attempts)
      if (!ev::IsFinal(s.state))
        return Error::InvalidState("attempt " + std::to_string(s.attempt) +
                                   " is already submitted and waits for review");
    if (ev::CapReached(*e))
      return Error::InvalidState(
          "all " + std::to_string(e->attempt_cap + e->coach_grants) +
          " attempts are used; the next step is to meet a coach: once the issuer records a coach "
          "session, you may submit once more");
    auto mc = PinnedVersion(tx, *e);
    if (!mc.ok()) return mc.error();
    auto checks =
        ev::CheckContent(mc->content.submission, draft->content, FilesOf(tx, e->user_id), e->id);
    if (!checks.ready()) {
      auto fields = checks.malformed;
      fields.insert(fields.end(), checks.problems.begin(), checks.problems.end());
      return Error::InvalidInput("the draft is not ready to submit", std::move(fields));
    }
    const auto now = ctx.clock.Now();
    Submission s;
    s.id = ctx.ids.NewId("sub");
    s.code = ev::NewSubmissionCode(ctx.ids);
    s.enrolment_id = e->id;
    s.user_id = e->user_id;
    s.micro_credential_id = e->micro_credential_id;
    s.version = e->version;
    s.issuer_id = e->issuer_id;
    s.attempt = static_cast<int>(attempts.size()) + 1;
    s.state = SubmissionState::kSubmitted;
    s.content = draft->content;
    std::tie(s.school_id, s.district_id) = SchoolAndDistrict(tx, e->user_id);
    s.submitted_at = now;
    s.timeline = {{"submitted", now, ""}};
    tx.Evidence().InsertSubmission(s);
    tx.Evidence().MarkDraftSubmitted(e->id, draft->revision);
    e->attempts_used += 1;
    e->updated_at = now;
    tx.Evidence().UpdateEnrolment(*e);
    tx.Jobs().Enqueue("review.assign", nlohmann::json{{"issuer_id", s.issuer_id}}.dump(), now);
    AuditEvidence(tx, now, actor, "submission.create", "submission", s.id, "", "submitted",
                  {{"enrolment_id", e->id}, {"attempt", s.attempt}, {"revision", revision}});
    core::FaultPoint("submit.before_commit");
    return s;
  });
}

core::Result<std::vector<Submission>> ListSubmissions(EvidenceContext& ctx, const Principal& actor,
                                                      const std::string& enrolment_id) {
  return ReadValue<std::vector<Submission>>(
      ctx, [&](Transaction& tx) -> core::Result<std::vector<Submission>> {
        auto e = LoadEnrolment(tx, actor, enrolment_id, false);
        if (!e.ok()) return e.error();
        return tx.Evidence().ListSubmissions(e->id);
      });
}

core::Result<Submission> GetSubmission(EvidenceContext& ctx, const Principal& actor,
                                       const std::string& submission_id) {
  return ReadValue<Submission>(ctx, [&](Transaction& tx) -> core::Result<Submission> {
    auto s = tx.Evidence().FindSubmission(submission_id);
    if (!s || AccessTo(actor, s->user_id, s->issuer_id) == Access::kNone) return NoSubmission();
    return *s;
  });
}

core::Result<Submission> Withdraw(EvidenceContext& ctx, const Principal& actor,
                                  const std::string& submission_id) {
  return WriteValue<Submission>(ctx, [&](Transaction& tx) -> core::Result<Submission> {
    auto s = tx.Evidence().FindSubmission(submission_id);
    if (!s) return NoSubmission();
    const Access access = AccessTo(actor, s->user_id, s->issuer_id);
    if (access == Access::kNone) return NoSubmission();
    if (access != Access::kOwner) return Error::Forbidden("only the educator withdraws");
    if (s->state != SubmissionState::kSubmitted)
      return Error::InvalidState(s->state == SubmissionState::kInReview
                                     ? "a reviewer has started; the submission can no longer be "
                                       "withdrawn"
                                     : "the submission is " + std::string(ToString(s->state)) +
                                           " and cannot be withdrawn");
    auto e = tx.Evidence().FindEnrolment(s->enrolment_id);
    if (!e) return core::Error::Internal("submission without enrolment " + s->id);
    const auto now = ctx.clock.Now();
    if (auto moved = ev::Transition(*s, SubmissionState::kWithdrawn, now); !moved.ok())
      return moved.error();
    tx.Evidence().UpdateSubmission(*s);
    e->attempts_used = std::max(0, e->attempts_used - 1);
    e->updated_at = now;
    tx.Evidence().UpdateEnrolment(*e);
    AuditEvidence(tx, now, actor, "submission.withdraw", "submission", s->id, "submitted",
                  "withdrawn", {{"enrolment_id", e->id}, {"attempt", s->attempt}});
    return *s;
  });
}

core::Result<EnrolmentView> RecordCoachSession(EvidenceContext& ctx, const Principal& actor,
                                               const std::string& enrolment_id,
                                               const std::string& note) {
  return WriteValue<EnrolmentView>(ctx, [&](Transaction& tx) -> core::Result<EnrolmentView> {
    auto e = LoadEnrolment(tx, actor, enrolment_id, false);
    if (!e.ok()) return e.error();
    if (!IsIssuerAdmin(actor, e->issuer_id))
      return Error::Forbidden("coach sessions are recorded by the issuer's admins");
    if (e->state != ev::EnrolmentState::kActive)
      return Error::InvalidState("the enrolment is " + std::string(ToString(e->state)));
    const auto now = ctx.clock.Now();
    ev::CoachSession session{ctx.ids.NewId("cch"), e->id, actor.user_id, note, now};
    tx.Evidence().InsertCoachSession(session);
    e->coach_grants += 1;
    e->updated_at = now;
    tx.Evidence().UpdateEnrolment(*e);
    AuditEvidence(tx, now, actor, "enrolment.coach_session", "enrolment", e->id, "", "",
                  {{"coach_session_id", session.id}, {"coach_grants", e->coach_grants}});
    return ViewOf(tx, *e);
  });
}

core::Result<ev::EnrolmentPolicy> SetEnrolmentPolicy(EvidenceContext& ctx, const Principal& actor,
                                                     const std::string& organization_id,
                                                     std::optional<int> days) {
  if (days && (*days < 1 || *days > kMaxPolicyDays))
    return Error::InvalidInput("the time frame is out of range",
                               {{"/days", "must be between 1 and 3650, or null"}});
  return WriteValue<ev::EnrolmentPolicy>(
      ctx, [&](Transaction& tx) -> core::Result<ev::EnrolmentPolicy> {
        auto org = tx.Identity().FindOrganization(organization_id);
        const bool admin = actor.IsPlatformAdmin() ||
                           actor.HasRoleIn(Role::kDistrictAdmin, organization_id);
        if (!org || !admin) return Error::NotFound("no such district");
        if (org->kind != core::identity::OrgKind::kDistrict)
          return Error::InvalidState("enrolment time frames are set by districts");
        const auto now = ctx.clock.Now();
        ev::EnrolmentPolicy policy{org->id, days, actor.user_id, now};
        tx.Evidence().SaveEnrolmentPolicy(policy);
        AuditEvidence(tx, now, actor, "enrolment_policy.set", "organization", org->id, "", "",
                      {{"days", days ? nlohmann::json(*days) : nlohmann::json()}});
        return policy;
      });
}

core::Result<ev::EnrolmentPolicy> GetEnrolmentPolicy(EvidenceContext& ctx, const Principal& actor,
                                                     const std::string& organization_id) {
  return ReadValue<ev::EnrolmentPolicy>(
      ctx, [&](Transaction& tx) -> core::Result<ev::EnrolmentPolicy> {
        auto org = tx.Identity().FindOrganization(organization_id);
        const bool admin = actor.IsPlatformAdmin() ||
                           actor.HasRoleIn(Role::kDistrictAdmin, organization_id);
        if (!org || !admin || org->kind != core::identity::OrgKind::kDistrict)
          return Error::NotFound("no such district");
        auto policy = tx.Evidence().FindEnrolmentPolicy(org->id);
        if (policy) return *policy;
        return ev::EnrolmentPolicy{org->id, std::nullopt, "", org->created_at};
      });
}

core::Result<int> SeedDemoEvidence(EvidenceContext& ctx, const nlohmann::json& doc,
                                   const std::map<std::string, std::string>& mc_ids_by_title) {
  int made = 0;
  for (const auto& entry : doc.at("enrolments")) {
    const std::string email = entry.at("educator").get<std::string>();
    const std::string title = entry.at("micro_credential").get<std::string>();
    const auto mc = mc_ids_by_title.find(title);
    if (mc == mc_ids_by_title.end())
      return Error::InvalidInput("demo evidence: no micro-credential titled " + title);
    auto user = ReadValue<core::identity::User>(
        ctx, [&](Transaction& tx) -> core::Result<core::identity::User> {
          auto u = tx.Identity().FindUserByEmail(email);
          if (!u) return Error::InvalidInput("demo evidence: no user " + email);
          return *u;
        });
    if (!user.ok()) return user.error();
    Principal educator;
    educator.user_id = user->id;
    auto enrolled = Enrol(ctx, educator, mc->second);
    if (!enrolled.ok()) return enrolled.error();
    made += enrolled->created ? 1 : 0;
    if (!entry.contains("draft")) continue;
    auto content = ev::DecodeContent(entry.at("draft"));
    if (!content.ok()) return content.error();
    auto saved = SaveDraft(ctx, educator, enrolled->view.enrolment.id,
                           enrolled->view.draft_revision, *content);
    if (!saved.ok()) return saved.error();
  }
  return made;
}

}  // namespace cairn::app::evidence
