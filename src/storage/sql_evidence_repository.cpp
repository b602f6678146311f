// SOCI adapter for the educator-side port: enrolments, drafts and their history, submissions and
// their timeline, coach sessions and district enrolment policies.
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/evidence/codec.hpp"
#include "core/evidence/evidence.hpp"
#include "storage/repositories.hpp"

namespace cairn::storage {
namespace {

using core::TimePoint;
using namespace core::evidence;

constexpr const char* kEnrolmentColumns =
    "SELECT public_id, user_id, micro_credential_id, version, issuer_id, state, attempts_used, "
    "attempt_cap, coach_grants, due_at, created_at, updated_at FROM enrolments ";
constexpr const char* kInsertEnrolment =
    "INSERT INTO enrolments (public_id, user_id, micro_credential_id, version, issuer_id, state, "
    "attempts_used, attempt_cap, coach_grants, due_at, created_at, updated_at) VALUES (:id, :user, "
    ":mc, :version, :issuer, :state, :used, :cap, :grants, :due, :created, :updated)";
constexpr const char* kUpdateEnrolment =
    "UPDATE enrolments SET state = :state, attempts_used = :used, attempt_cap = :cap, "
    "coach_grants = :grants, due_at = :due, updated_at = :updated WHERE public_id = :id";

constexpr const char* kSelectDraft =
    "SELECT revision, submitted_revision, content, updated_at FROM drafts "
    "WHERE enrolment_id = :id";
constexpr const char* kInsertDraft =
    "INSERT INTO drafts (enrolment_id, revision, submitted_revision, content, updated_at) "
    "VALUES (:id, :revision, 0, :content, :updated)";
constexpr const char* kUpdateDraft =
    "UPDATE drafts SET revision = :revision, content = :content, updated_at = :updated "
    "WHERE enrolment_id = :id AND revision = :expected";
constexpr const char* kMarkSubmitted =
    "UPDATE drafts SET submitted_revision = :revision WHERE enrolment_id = :id";
constexpr const char* kInsertRevision =
    "INSERT INTO draft_revisions (enrolment_id, revision, saved_at, content) "
    "VALUES (:id, :revision, :at, :content)";
constexpr const char* kPruneRevisions =
    "DELETE FROM draft_revisions WHERE enrolment_id = :id AND revision <= :oldest";
constexpr const char* kListRevisions =
    "SELECT revision, saved_at FROM draft_revisions WHERE enrolment_id = :id "
    "ORDER BY revision DESC LIMIT :limit";
constexpr const char* kSelectRevision =
    "SELECT saved_at, content FROM draft_revisions WHERE enrolment_id = :id "
    "AND revision = :revision";

constexpr const char* kSubmissionColumns =
    "SELECT public_id, code, enrolment_id, user_id, micro_credential_id, version, issuer_id, "
    "attempt, state, content, school_id, district_id, return_reason, submitted_at, decided_at "
    "FROM submissions ";
constexpr const char* kInsertSubmission =
    "INSERT INTO submissions (public_id, code, enrolment_id, user_id, micro_credential_id, "
    "version, issuer_id, attempt, state, school_id, district_id, return_reason, submitted_at, "
    "decided_at, updated_at, content) VALUES (:id, :code, :enrolment, :user, :mc, :version, "
    ":issuer, :attempt, :state, :school, :district, :reason, :submitted, :decided, :updated, "
    ":content)";
constexpr const char* kUpdateSubmission =
    "UPDATE submissions SET state = :state, return_reason = :reason, decided_at = :decided, "
    "updated_at = :updated WHERE public_id = :id";
constexpr const char* kInsertEvent =
    "INSERT INTO submission_events (submission_id, state, at, note) VALUES (:id, :state, :at, "
    ":note)";
constexpr const char* kSelectEvents =
    "SELECT state, at, note FROM submission_events WHERE submission_id = :id ORDER BY id";

constexpr const char* kInsertCoach =
    "INSERT INTO coach_sessions (public_id, enrolment_id, coach_id, note, at) VALUES (:id, "
    ":enrolment, :coach, :note, :at)";
constexpr const char* kSelectCoach =
    "SELECT public_id, coach_id, note, at FROM coach_sessions WHERE enrolment_id = :id ORDER BY id";

constexpr const char* kSelectPolicy =
    "SELECT days, updated_by, updated_at FROM enrolment_policies WHERE organization_id = :id";
constexpr const char* kUpsertPolicy =
    "INSERT INTO enrolment_policies (organization_id, days, updated_by, updated_at) VALUES (:id, "
    ":days, :by, :at) ON CONFLICT (organization_id) DO UPDATE SET days = excluded.days, "
    "updated_by = excluded.updated_by, updated_at = excluded.updated_at";

TimePoint Time(const std::string& text) {
  TimePoint t{};
  if (!core::ParseTime(text, t)) throw std::runtime_error("unreadable time in database: " + text);
  return t;
}

SubmissionContent Content(const std::string& text, const std::string& what) {
  auto decoded = DecodeContent(nlohmann::json::parse(text));
  // Content is written by EncodeContent; failing to read it back is a bug or corruption.
  if (!decoded.ok()) throw std::runtime_error(what + ": stored content does not decode");
  return std::move(decoded).value();
}

// A nullable text parameter whose indicator outlives the statement.
struct NullableText {
  std::string value;
  soci::indicator ind = soci::i_null;
  static NullableText Of(const std::optional<TimePoint>& t) {
    return t ? NullableText{core::FormatTime(*t), soci::i_ok} : NullableText{};
  }
  static NullableText Of(const std::string& s) {
    return s.empty() ? NullableText{} : NullableText{s, soci::i_ok};
  }
};

void ExpectOneRow(soci::statement& st, const char* what) {
  if (st.get_affected_rows() != 1) throw std::runtime_error(std::string(what) + ": no such row");
}

struct EnrolmentRow {
  std::string id, user, mc, issuer, state, due, created, updated;
  int version = 0, used = 0, cap = 0, grants = 0;
  soci::indicator due_ind = soci::i_null;

  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(user));
    st.exchange(soci::into(mc));
    st.exchange(soci::into(version));
    st.exchange(soci::into(issuer));
    st.exchange(soci::into(state));
    st.exchange(soci::into(used));
    st.exchange(soci::into(cap));
    st.exchange(soci::into(grants));
    st.exchange(soci::into(due, due_ind));
    st.exchange(soci::into(created));
    st.exchange(soci::into(updated));
  }
  Enrolment ToDomain() const {
    Enrolment e;
    e.id = id;
    e.user_id = user;
    e.micro_credential_id = mc;
    e.version = version;
    e.issuer_id = issuer;
    auto s = ParseEnrolmentState(state);
    if (!s) throw std::runtime_error("unknown enrolment state " + state);
    e.state = *s;
    e.attempts_used = used;
    e.attempt_cap = cap;
    e.coach_grants = grants;
    if (due_ind == soci::i_ok) e.due_at = Time(due);
    e.created_at = Time(created);
    e.updated_at = Time(updated);
    return e;
  }
};

struct SubmissionRow {
  std::string id, code, enrolment, user, mc, issuer, state, content, school, district, reason,
      submitted, decided;
  int version = 0, attempt = 0;
  soci::indicator school_ind = soci::i_null, district_ind = soci::i_null,
                  decided_ind = soci::i_null;

  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(code));
    st.exchange(soci::into(enrolment));
    st.exchange(soci::into(user));
    st.exchange(soci::into(mc));
    st.exchange(soci::into(version));
    st.exchange(soci::into(issuer));
    st.exchange(soci::into(attempt));
    st.exchange(soci::into(state));
    st.exchange(soci::into(content));
    st.exchange(soci::into(school, school_ind));
    st.exchange(soci::into(district, district_ind));
    st.exchange(soci::into(reason));
    st.exchange(soci::into(submitted));
    st.exchange(soci::into(decided, decided_ind));
  }
  Submission ToDomain() const {
    Submission s;
    s.id = id;
    s.code = code;
    s.enrolment_id = enrolment;
    s.user_id = user;
    s.micro_credential_id = mc;
    s.version = version;
    s.issuer_id = issuer;
    s.attempt = attempt;
    auto parsed = ParseSubmissionState(state);
    if (!parsed) throw std::runtime_error("unknown submission state " + state);
    s.state = *parsed;
    s.content = Content(content, "submission " + id);
    if (school_ind == soci::i_ok) s.school_id = school;
    if (district_ind == soci::i_ok) s.district_id = district;
    s.return_reason = reason;
    s.submitted_at = Time(submitted);
    if (decided_ind == soci::i_ok) s.decided_at = Time(decided);
    return s;
  }
};

// Runs a SELECT with text/int parameters bound in order, calling on_row per fetched row.
template <class Row, class OnRow>
void Each(Tx& tx, const std::string& sql, Row& row, const std::vector<std::string>& texts,
          const std::vector<int>& ints, OnRow&& on_row) {
  std::vector<std::string> t = texts;
  std::vector<int> n = ints;
  soci::statement st(tx.sql());
  row.Bind(st);
  for (auto& v : t) st.exchange(soci::use(v));
  for (auto& v : n) st.exchange(soci::use(v));
  st.alloc();
  st.prepare(sql);
  st.define_and_bind();
  st.execute(false);
  while (st.fetch()) on_row(row);
}

class SqlEvidenceRepository final : public EvidenceRepository {
 public:
  explicit SqlEvidenceRepository(Tx& tx) : tx_(tx) {}

  void InsertEnrolment(const Enrolment& e) override {
    const std::string state(ToString(e.state));
    auto due = NullableText::Of(e.due_at);
    const std::string created = core::FormatTime(e.created_at);
    const std::string updated = core::FormatTime(e.updated_at);
    tx_.sql() << kInsertEnrolment, soci::use(e.id, "id"), soci::use(e.user_id, "user"),
        soci::use(e.micro_credential_id, "mc"), soci::use(e.version, "version"),
        soci::use(e.issuer_id, "issuer"), soci::use(state, "state"),
        soci::use(e.attempts_used, "used"), soci::use(e.attempt_cap, "cap"),
        soci::use(e.coach_grants, "grants"), soci::use(due.value, due.ind, "due"),
        soci::use(created, "created"), soci::use(updated, "updated");
  }

  void UpdateEnrolment(const Enrolment& e) override {
    const std::string state(ToString(e.state));
    auto due = NullableText::Of(e.due_at);
    const std::string updated = core::FormatTime(e.updated_at);
    soci::statement st = (tx_.sql().prepare << kUpdateEnrolment, soci::use(state, "state"),
                          soci::use(e.attempts_used, "used"), soci::use(e.attempt_cap, "cap"),
                          soci::use(e.coach_grants, "grants"), soci::use(due.value, due.ind, "due"),
                          soci::use(updated, "updated"), soci::use(e.id, "id"));
    st.execute(true);
    ExpectOneRow(st, "update enrolment");
  }

  std::optional<Enrolment> FindEnrolment(const std::string& id) override {
    return FirstEnrolment(std::string(kEnrolmentColumns) + "WHERE public_id = :id", {id}, {});
  }

  std::optional<Enrolment> FindOpenEnrolment(const std::string& user_id,
                                             const std::string& micro_credential_id) override {
    return FirstEnrolment(std::string(kEnrolmentColumns) +
                              "WHERE user_id = :user AND micro_credential_id = :mc AND "
                              "state <> 'closed'",
                          {user_id, micro_credential_id}, {});
  }

  std::vector<Enrolment> ListEnrolments(const std::string& user_id) override {
    return Enrolments(std::string(kEnrolmentColumns) +
                          "WHERE user_id = :user ORDER BY created_at DESC, id DESC",
                      {user_id}, {});
  }

  std::vector<Enrolment> ListIssuerEnrolments(const std::string& issuer_id, int limit) override {
    return Enrolments(std::string(kEnrolmentColumns) +
                          "WHERE issuer_id = :issuer ORDER BY created_at DESC, id DESC "
                          "LIMIT :limit",
                      {issuer_id}, {limit});
  }

  std::optional<Draft> FindDraft(const std::string& enrolment_id) override {
    std::int64_t revision = 0, submitted = 0;
    std::string content, updated;
    tx_.sql() << kSelectDraft, soci::use(enrolment_id), soci::into(revision),
        soci::into(submitted), soci::into(content), soci::into(updated);
    if (!tx_.sql().got_data()) return std::nullopt;
    Draft d;
    d.enrolment_id = enrolment_id;
    d.revision = revision;
    d.submitted_revision = submitted;
    d.content = Content(content, "draft of " + enrolment_id);
    d.updated_at = Time(updated);
    return d;
  }

  bool SaveDraft(const Draft& draft, std::int64_t expected_revision) override {
    const std::string content = EncodeContent(draft.content).dump();
    const std::string updated = core::FormatTime(draft.updated_at);
    if (expected_revision == 0) {
      // A racing first save hits the primary key; that is the same "someone saved first".
      bool inserted = false;
      auto st = tx_.Attempt([&](Tx& tx) -> core::Status {
        tx.sql() << kInsertDraft, soci::use(draft.enrolment_id, "id"),
            soci::use(draft.revision, "revision"), soci::use(content, "content"),
            soci::use(updated, "updated");
        inserted = true;
        return core::Ok();
      });
      if (!st.ok()) {
        if (st.error().code == core::ErrorCode::kConflict) return false;
        throw std::runtime_error("save draft: " + st.error().detail);
      }
      if (!inserted) return false;
    } else {
      soci::statement st =
          (tx_.sql().prepare << kUpdateDraft, soci::use(draft.revision, "revision"),
           soci::use(content, "content"), soci::use(updated, "updated"),
           soci::use(draft.enrolment_id, "id"), soci::use(expected_revision, "expected"));
      st.execute(true);
      if (st.get_affected_rows() != 1) return false;
    }
    tx_.sql() << kInsertRevision, soci::use(draft.enrolment_id, "id"),
        soci::use(draft.revision, "revision"), soci::use(updated, "at"),
        soci::use(content, "content");
    const std::int64_t oldest = draft.revision - kHistoryKept;
    if (oldest > 0)
      tx_.sql() << kPruneRevisions, soci::use(draft.enrolment_id, "id"),
          soci::use(oldest, "oldest");
    return true;
  }

  void MarkDraftSubmitted(const std::string& enrolment_id, std::int64_t revision) override {
    soci::statement st = (tx_.sql().prepare << kMarkSubmitted, soci::use(revision, "revision"),
                          soci::use(enrolment_id, "id"));
    st.execute(true);
    ExpectOneRow(st, "mark draft submitted");
  }

  std::vector<DraftRevision> ListDraftRevisions(const std::string& enrolment_id,
                                                int limit) override {
    struct Row {
      std::int64_t revision = 0;
      std::string at;
      void Bind(soci::statement& st) {
        st.exchange(soci::into(revision));
        st.exchange(soci::into(at));
      }
    } row;
    std::vector<DraftRevision> out;
    Each(tx_, kListRevisions, row, {enrolment_id}, {limit}, [&](const Row& r) {
      DraftRevision d;
      d.revision = r.revision;
      d.saved_at = Time(r.at);
      out.push_back(std::move(d));
    });
    return out;
  }

  std::optional<DraftRevision> FindDraftRevision(const std::string& enrolment_id,
                                                 std::int64_t revision) override {
    std::string at, content;
    tx_.sql() << kSelectRevision, soci::use(enrolment_id, "id"), soci::use(revision, "revision"),
        soci::into(at), soci::into(content);
    if (!tx_.sql().got_data()) return std::nullopt;
    DraftRevision d;
    d.revision = revision;
    d.saved_at = Time(at);
    d.content = Content(content, "draft revision of " + enrolment_id);
    return d;
  }

  void InsertSubmission(const Submission& s) override {
    const std::string state(ToString(s.state));
    const std::string content = EncodeContent(s.content).dump();
    auto school = NullableText::Of(s.school_id);
    auto district = NullableText::Of(s.district_id);
    auto decided = NullableText::Of(s.decided_at);
    const std::string submitted = core::FormatTime(s.submitted_at);
    const std::string updated = submitted;
    tx_.sql() << kInsertSubmission, soci::use(s.id, "id"), soci::use(s.code, "code"),
        soci::use(s.enrolment_id, "enrolment"), soci::use(s.user_id, "user"),
        soci::use(s.micro_credential_id, "mc"), soci::use(s.version, "version"),
        soci::use(s.issuer_id, "issuer"), soci::use(s.attempt, "attempt"),
        soci::use(state, "state"), soci::use(school.value, school.ind, "school"),
        soci::use(district.value, district.ind, "district"),
        soci::use(s.return_reason, "reason"), soci::use(submitted, "submitted"),
        soci::use(decided.value, decided.ind, "decided"), soci::use(updated, "updated"),
        soci::use(content, "content");
    for (const auto& event : s.timeline) InsertEvent(s.id, event);
  }

  void UpdateSubmission(const Submission& s) override {
    const std::string state(ToString(s.state));
    auto decided = NullableText::Of(s.decided_at);
    const std::string updated =
        core::FormatTime(s.timeline.empty() ? s.submitted_at : s.timeline.back().at);
    soci::statement st = (tx_.sql().prepare << kUpdateSubmission, soci::use(state, "state"),
                          soci::use(s.return_reason, "reason"),
                          soci::use(decided.value, decided.ind, "decided"),
                          soci::use(updated, "updated"), soci::use(s.id, "id"));
    st.execute(true);
    ExpectOneRow(st, "update submission");
    if (!s.timeline.empty()) InsertEvent(s.id, s.timeline.back());
  }

  std::optional<Submission> FindSubmission(const std::string& id) override {
    auto list = Submissions(std::string(kSubmissionColumns) + "WHERE public_id = :id", {id}, {});
    if (list.empty()) return std::nullopt;
    return std::move(list.front());
  }

  std::vector<Submission> ListSubmissions(const std::string& enrolment_id) override {
    return Submissions(std::string(kSubmissionColumns) +
                           "WHERE enrolment_id = :id ORDER BY attempt",
                       {enrolment_id}, {});
  }

  std::vector<Submission> ListIssuerSubmissions(const std::string& issuer_id,
                                                const std::vector<SubmissionState>& states,
                                                int limit) override {
    std::string sql = std::string(kSubmissionColumns) + "WHERE issuer_id = :issuer";
    std::vector<std::string> texts{issuer_id};
    if (!states.empty()) {
      sql += " AND state IN (";
      for (std::size_t i = 0; i < states.size(); ++i) {
        sql += (i ? ", :s" : ":s") + std::to_string(i);
        texts.emplace_back(ToString(states[i]));
      }
      sql += ")";
    }
    sql += " ORDER BY submitted_at, id LIMIT :limit";
    return Submissions(sql, texts, {limit});
  }

  void InsertCoachSession(const CoachSession& c) override {
    const std::string at = core::FormatTime(c.at);
    tx_.sql() << kInsertCoach, soci::use(c.id, "id"), soci::use(c.enrolment_id, "enrolment"),
        soci::use(c.coach_id, "coach"), soci::use(c.note, "note"), soci::use(at, "at");
  }

  std::vector<CoachSession> ListCoachSessions(const std::string& enrolment_id) override {
    struct Row {
      std::string id, coach, note, at;
      void Bind(soci::statement& st) {
        st.exchange(soci::into(id));
        st.exchange(soci::into(coach));
        st.exchange(soci::into(note));
        st.exchange(soci::into(at));
      }
    } row;
    std::vector<CoachSession> out;
    Each(tx_, kSelectCoach, row, {enrolment_id}, {}, [&](const Row& r) {
      out.push_back({r.id, enrolment_id, r.coach, r.note, Time(r.at)});
    });
    return out;
  }

  void SaveEnrolmentPolicy(const EnrolmentPolicy& p) override {
    int days = p.days.value_or(0);
    soci::indicator days_ind = p.days ? soci::i_ok : soci::i_null;
    const std::string at = core::FormatTime(p.updated_at);
    tx_.sql() << kUpsertPolicy, soci::use(p.organization_id, "id"),
        soci::use(days, days_ind, "days"), soci::use(p.updated_by, "by"), soci::use(at, "at");
  }

  std::optional<EnrolmentPolicy> FindEnrolmentPolicy(const std::string& organization_id) override {
    int days = 0;
    soci::indicator days_ind = soci::i_null;
    std::string by, at;
    tx_.sql() << kSelectPolicy, soci::use(organization_id), soci::into(days, days_ind),
        soci::into(by), soci::into(at);
    if (!tx_.sql().got_data()) return std::nullopt;
    EnrolmentPolicy p;
    p.organization_id = organization_id;
    if (days_ind == soci::i_ok) p.days = days;
    p.updated_by = by;
    p.updated_at = Time(at);
    return p;
  }

 private:
  std::optional<Enrolment> FirstEnrolment(const std::string& sql,
                                          const std::vector<std::string>& texts,
                                          const std::vector<int>& ints) {
    auto list = Enrolments(sql, texts, ints);
    if (list.empty()) return std::nullopt;
    return std::move(list.front());
  }

  std::vector<Enrolment> Enrolments(const std::string& sql, const std::vector<std::string>& texts,
                                    const std::vector<int>& ints) {
    EnrolmentRow row;
    std::vector<Enrolment> out;
    Each(tx_, sql, row, texts, ints, [&](const EnrolmentRow& r) { out.push_back(r.ToDomain()); });
    return out;
  }

  std::vector<Submission> Submissions(const std::string& sql,
                                      const std::vector<std::string>& texts,
                                      const std::vector<int>& ints) {
    SubmissionRow row;
    std::vector<Submission> out;
    Each(tx_, sql, row, texts, ints,
         [&](const SubmissionRow& r) { out.push_back(r.ToDomain()); });
    for (auto& s : out) s.timeline = Events(s.id);
    return out;
  }

  std::vector<TimelineEvent> Events(const std::string& submission_id) {
    struct Row {
      std::string state, at, note;
      void Bind(soci::statement& st) {
        st.exchange(soci::into(state));
        st.exchange(soci::into(at));
        st.exchange(soci::into(note));
      }
    } row;
    std::vector<TimelineEvent> out;
    Each(tx_, kSelectEvents, row, {submission_id}, {},
         [&](const Row& r) { out.push_back({r.state, Time(r.at), r.note}); });
    return out;
  }

  void InsertEvent(const std::string& submission_id, const TimelineEvent& e) {
    const std::string at = core::FormatTime(e.at);
    tx_.sql() << kInsertEvent, soci::use(submission_id, "id"), soci::use(e.state, "state"),
        soci::use(at, "at"), soci::use(e.note, "note");
  }

  Tx& tx_;
};

}  // namespace

std::unique_ptr<EvidenceRepository> MakeEvidenceRepository(Tx& tx) {
  return std::make_unique<SqlEvidenceRepository>(tx);
}

}  // namespace cairn::storage
