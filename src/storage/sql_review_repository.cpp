#include <nlohmann/json.hpp>
#include <stdexcept>

#include "core/review/review_repository.hpp"
#include "storage/repositories.hpp"

namespace cairn::storage {
namespace {

using core::review::CalibrationRow;
using core::review::Decision;
using core::review::DistrictReviewPreferences;
using core::review::LedgerEntry;
using core::review::OverrideRecord;
using core::review::Rating;
using core::review::Review;
using core::review::ReviewerProfile;
using core::review::ReviewPolicy;
using core::review::ReviewState;

core::TimePoint Time(const std::string& text) {
  core::TimePoint t{};
  core::ParseTime(text, t);
  return t;
}

std::string RatingsJson(const std::vector<Rating>& ratings) {
  auto out = nlohmann::json::array();
  for (const auto& r : ratings)
    out.push_back(
        {{"criterion_id", r.criterion_id}, {"level_id", r.level_id}, {"comment", r.comment}});
  return out.dump();
}

std::vector<Rating> ParseRatings(const std::string& text) {
  std::vector<Rating> out;
  for (const auto& r : nlohmann::json::parse(text))
    out.push_back(
        Rating{r.value("criterion_id", ""), r.value("level_id", ""), r.value("comment", "")});
  return out;
}

constexpr const char* kReviewColumns =
    "SELECT public_id, submission_id, issuer_id, micro_credential_id, version, reviewer_id, state, "
    "tie_break, by_override, revision, ratings, comment, recommendation, close_reason, "
    "assigned_at, due_at, started_at, closed_at FROM reviews ";

struct ReviewRow {
  std::string id, submission_id, issuer_id, mc_id, reviewer_id, state, ratings, comment,
      recommendation, close_reason, assigned_at, due_at, started_at, closed_at;
  int version = 0, tie_break = 0, by_override = 0;
  std::int64_t revision = 0;
  soci::indicator started_ind = soci::i_null, closed_ind = soci::i_null;

  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(submission_id));
    st.exchange(soci::into(issuer_id));
    st.exchange(soci::into(mc_id));
    st.exchange(soci::into(version));
    st.exchange(soci::into(reviewer_id));
    st.exchange(soci::into(state));
    st.exchange(soci::into(tie_break));
    st.exchange(soci::into(by_override));
    st.exchange(soci::into(revision));
    st.exchange(soci::into(ratings));
    st.exchange(soci::into(comment));
    st.exchange(soci::into(recommendation));
    st.exchange(soci::into(close_reason));
    st.exchange(soci::into(assigned_at));
    st.exchange(soci::into(due_at));
    st.exchange(soci::into(started_at, started_ind));
    st.exchange(soci::into(closed_at, closed_ind));
  }

  Review ToDomain() const {
    Review r;
    r.id = id;
    r.submission_id = submission_id;
    r.issuer_id = issuer_id;
    r.micro_credential_id = mc_id;
    r.version = version;
    r.reviewer_id = reviewer_id;
    r.state = core::review::ParseReviewState(state).value_or(ReviewState::kAssigned);
    r.tie_break = tie_break != 0;
    r.by_override = by_override != 0;
    r.revision = revision;
    r.ratings = ParseRatings(ratings);
    r.comment = comment;
    r.recommendation = recommendation;
    r.close_reason = close_reason;
    r.assigned_at = Time(assigned_at);
    r.due_at = Time(due_at);
    if (started_ind == soci::i_ok) r.started_at = Time(started_at);
    if (closed_ind == soci::i_ok) r.closed_at = Time(closed_at);
    return r;
  }
};

constexpr const char* kDeleteQualifications =
    "DELETE FROM reviewer_qualifications WHERE issuer_id = :i AND user_id = :u";
constexpr const char* kUpsertReviewer =
    "INSERT INTO reviewer_profiles (issuer_id, user_id, load_cap, active, created_at, "
    "updated_at) VALUES (:i, :u, :cap, :active, :created, :updated) ON CONFLICT (issuer_id, "
    "user_id) DO UPDATE SET load_cap = excluded.load_cap, active = excluded.active, "
    "updated_at = excluded.updated_at";
constexpr const char* kInsertQualification =
    "INSERT INTO reviewer_qualifications (issuer_id, user_id, kind, value) VALUES (:i, :u, "
    ":k, :v) ON CONFLICT DO NOTHING";
constexpr const char* kDeleteReviewer =
    "DELETE FROM reviewer_profiles WHERE issuer_id = :i AND user_id = :u";
constexpr const char* kPolicyColumns =
    "SELECT issuer_id, sla_days, never_same_district, review_pay_cents, updated_at, "
    "allow_district_preferences FROM issuer_review_policies ";
constexpr const char* kUpsertPolicy =
    "INSERT INTO issuer_review_policies (issuer_id, sla_days, never_same_district, "
    "review_pay_cents, updated_at, allow_district_preferences) VALUES (:i, :sla, :never, :pay, "
    ":updated, :allow) ON CONFLICT (issuer_id) DO UPDATE SET sla_days = excluded.sla_days, "
    "never_same_district = excluded.never_same_district, review_pay_cents = "
    "excluded.review_pay_cents, updated_at = excluded.updated_at, allow_district_preferences = "
    "excluded.allow_district_preferences";
constexpr const char* kDistrictColumns =
    "SELECT district_id, sla_days, never_same_district, updated_by, updated_at FROM "
    "district_review_preferences ";
constexpr const char* kUpsertDistrict =
    "INSERT INTO district_review_preferences (district_id, sla_days, never_same_district, "
    "updated_by, updated_at) VALUES (:d, :sla, :never, :by, :at) ON CONFLICT (district_id) DO "
    "UPDATE SET sla_days = excluded.sla_days, never_same_district = "
    "excluded.never_same_district, updated_by = excluded.updated_by, updated_at = "
    "excluded.updated_at";
constexpr const char* kInsertReview =
    "INSERT INTO reviews (public_id, submission_id, issuer_id, micro_credential_id, "
    "version, reviewer_id, state, tie_break, by_override, revision, ratings, comment, "
    "recommendation, close_reason, assigned_at, due_at) VALUES (:id, :sub, :issuer, :mc, "
    ":version, :reviewer, :state, :tie, :over, :revision, :ratings, :comment, :rec, "
    ":reason, :assigned, :due)";
constexpr const char* kUpdateReview =
    "UPDATE reviews SET state = :state, revision = :revision, ratings = :ratings, comment = "
    ":comment, recommendation = :rec, close_reason = :reason, due_at = :due, started_at = "
    ":started, closed_at = :closed WHERE public_id = :id AND revision = :expected";
constexpr const char* kSelectOpenLoads =
    "SELECT reviewer_id, CAST(COUNT(*) AS INTEGER) FROM reviews WHERE issuer_id = :i AND "
    "state IN ('assigned', 'in_progress') GROUP BY reviewer_id";
constexpr const char* kInsertDecision =
    "INSERT INTO review_decisions (submission_id, issuer_id, decision, tie_break, "
    "deciding_review_id, decided_at) VALUES (:s, :i, :d, :t, :r, :at)";
constexpr const char* kSelectDecision =
    "SELECT issuer_id, decision, tie_break, deciding_review_id, decided_at FROM "
    "review_decisions WHERE submission_id = :s";
constexpr const char* kInsertLedger =
    "INSERT INTO review_ledger (review_id, reviewer_id, issuer_id, submission_code, "
    "micro_credential_id, amount_cents, completed_at) VALUES (:r, :u, :i, :c, :mc, :amount, "
    ":at)";
constexpr const char* kSelectLedger =
    "SELECT review_id, reviewer_id, submission_code, micro_credential_id, amount_cents, "
    "completed_at FROM review_ledger WHERE issuer_id = :i ORDER BY completed_at, review_id";
constexpr const char* kInsertOverride =
    "INSERT INTO assignment_overrides (submission_id, reviewer_id, issuer_id, actor_id, at) "
    "VALUES (:s, :r, :i, :a, :at)";
constexpr const char* kSelectCalibration =
    "SELECT r.reviewer_id, r.issuer_id, r.recommendation, d.decision FROM reviews r JOIN "
    "review_decisions d ON d.submission_id = r.submission_id WHERE r.state = 'completed' "
    "AND (:i1 = '' OR r.issuer_id = :i2) AND (:u1 = '' OR r.reviewer_id = :u2) ORDER BY "
    "r.id";
constexpr const char* kSelectReviewers =
    "SELECT user_id, load_cap, active, created_at, updated_at FROM reviewer_profiles WHERE "
    "issuer_id = :i AND (:u1 = '' OR user_id = :u2) ORDER BY user_id";
constexpr const char* kSelectQualifications =
    "SELECT user_id, kind, value FROM reviewer_qualifications WHERE issuer_id = :i AND (:u1 "
    "= '' OR user_id = :u2) ORDER BY user_id, kind, value";

// Runs a SELECT of kReviewColumns with text parameters bound in order.
std::vector<Review> SelectReviews(Tx& tx, const std::string& sql,
                                  const std::vector<std::string>& params) {
  ReviewRow r;
  soci::statement st(tx.sql());
  r.Bind(st);
  for (const auto& p : params) st.exchange(soci::use(p));
  st.alloc();
  st.prepare(sql);
  st.define_and_bind();
  st.execute(false);
  std::vector<Review> out;
  while (st.fetch()) out.push_back(r.ToDomain());
  return out;
}

std::string StateList(const std::vector<ReviewState>& states) {
  std::string out;
  for (auto s : states) {
    if (!out.empty()) out += ", ";
    out += "'" + std::string(ToString(s)) + "'";
  }
  return out.empty() ? "''" : out;
}

class SqlReviewRepository final : public core::review::ReviewRepository {
 public:
  explicit SqlReviewRepository(Tx& tx) : tx_(tx) {}

  void SaveReviewer(const ReviewerProfile& p) override {
    const int active = p.active ? 1 : 0;
    const std::string created = core::FormatTime(p.created_at),
                      updated = core::FormatTime(p.updated_at);
    tx_.sql() << kDeleteQualifications, soci::use(p.issuer_id), soci::use(p.user_id);
    tx_.sql() << kUpsertReviewer, soci::use(p.issuer_id), soci::use(p.user_id),
        soci::use(p.load_cap), soci::use(active), soci::use(created), soci::use(updated);
    auto add = [&](const char* kind, const std::string& value) {
      const std::string k = kind;
      tx_.sql() << kInsertQualification, soci::use(p.issuer_id), soci::use(p.user_id), soci::use(k),
          soci::use(value);
    };
    for (const auto& mc : p.micro_credential_ids) add("mc", mc);
    for (const auto& tag : p.tags) add("tag", tag);
  }

  std::optional<ReviewerProfile> FindReviewer(const std::string& issuer_id,
                                              const std::string& user_id) override {
    auto all = Profiles(issuer_id, &user_id);
    if (all.empty()) return std::nullopt;
    return all.front();
  }

  std::vector<ReviewerProfile> ListReviewers(const std::string& issuer_id) override {
    return Profiles(issuer_id, nullptr);
  }

  bool DeleteReviewer(const std::string& issuer_id, const std::string& user_id) override {
    tx_.sql() << kDeleteQualifications, soci::use(issuer_id), soci::use(user_id);
    soci::statement st =
        (tx_.sql().prepare << kDeleteReviewer, soci::use(issuer_id), soci::use(user_id));
    st.execute(true);
    return st.get_affected_rows() > 0;
  }

  std::optional<ReviewPolicy> FindPolicy(const std::string& issuer_id) override {
    auto rows = Policies("WHERE issuer_id = :i", &issuer_id);
    if (rows.empty()) return std::nullopt;
    return rows.front();
  }

  void SavePolicy(const ReviewPolicy& p) override {
    const int never = p.never_same_district ? 1 : 0, allow = p.allow_district_preferences ? 1 : 0;
    const std::string updated = core::FormatTime(p.updated_at);
    tx_.sql() << kUpsertPolicy, soci::use(p.issuer_id), soci::use(p.sla_days), soci::use(never),
        soci::use(p.review_pay_cents), soci::use(updated), soci::use(allow);
  }

  std::vector<ReviewPolicy> ListPoliciesAllowingDistricts() override {
    return Policies("WHERE allow_district_preferences = 1 ORDER BY issuer_id", nullptr);
  }

  std::optional<DistrictReviewPreferences> FindDistrictPreferences(
      const std::string& district_id) override {
    auto rows = Districts("WHERE district_id = :d", &district_id);
    if (rows.empty()) return std::nullopt;
    return rows.front();
  }

  void SaveDistrictPreferences(const DistrictReviewPreferences& d) override {
    const int never = d.never_same_district ? 1 : 0;
    const int sla = d.sla_days.value_or(0);
    soci::indicator sla_ind = d.sla_days ? soci::i_ok : soci::i_null;
    const std::string at = core::FormatTime(d.updated_at);
    tx_.sql() << kUpsertDistrict, soci::use(d.district_id), soci::use(sla, sla_ind),
        soci::use(never), soci::use(d.updated_by), soci::use(at);
  }

  std::vector<DistrictReviewPreferences> ListDistrictPreferences() override {
    return Districts("ORDER BY district_id", nullptr);
  }

  void InsertReview(const Review& r) override {
    const std::string state(ToString(r.state)), ratings = RatingsJson(r.ratings),
                                                assigned = core::FormatTime(r.assigned_at),
                                                due = core::FormatTime(r.due_at);
    const int tie = r.tie_break ? 1 : 0, over = r.by_override ? 1 : 0;
    tx_.sql() << kInsertReview, soci::use(r.id), soci::use(r.submission_id), soci::use(r.issuer_id),
        soci::use(r.micro_credential_id), soci::use(r.version), soci::use(r.reviewer_id),
        soci::use(state), soci::use(tie), soci::use(over), soci::use(r.revision),
        soci::use(ratings), soci::use(r.comment), soci::use(r.recommendation),
        soci::use(r.close_reason), soci::use(assigned), soci::use(due);
  }

  bool UpdateReview(const Review& r, std::int64_t expected_revision) override {
    const std::string state(ToString(r.state)), ratings = RatingsJson(r.ratings),
                                                due = core::FormatTime(r.due_at);
    std::string started = r.started_at ? core::FormatTime(*r.started_at) : "";
    std::string closed = r.closed_at ? core::FormatTime(*r.closed_at) : "";
    soci::indicator started_ind = r.started_at ? soci::i_ok : soci::i_null;
    soci::indicator closed_ind = r.closed_at ? soci::i_ok : soci::i_null;
    soci::statement st =
        (tx_.sql().prepare << kUpdateReview, soci::use(state), soci::use(r.revision),
         soci::use(ratings), soci::use(r.comment), soci::use(r.recommendation),
         soci::use(r.close_reason), soci::use(due), soci::use(started, started_ind),
         soci::use(closed, closed_ind), soci::use(r.id), soci::use(expected_revision));
    st.execute(true);
    return st.get_affected_rows() == 1;
  }

  std::optional<Review> FindReview(const std::string& id) override {
    auto rows = SelectReviews(tx_, std::string(kReviewColumns) + "WHERE public_id = :id", {id});
    if (rows.empty()) return std::nullopt;
    return rows.front();
  }

  std::vector<Review> ListSubmissionReviews(const std::string& submission_id) override {
    return SelectReviews(tx_, std::string(kReviewColumns) + "WHERE submission_id = :s ORDER BY id",
                         {submission_id});
  }

  std::vector<Review> ListReviewerReviews(const std::string& reviewer_id,
                                          const std::vector<ReviewState>& states) override {
    return SelectReviews(tx_,
                         std::string(kReviewColumns) + "WHERE reviewer_id = :r AND state IN (" +
                             StateList(states) + ") ORDER BY due_at, public_id",
                         {reviewer_id});
  }

  std::vector<Review> ListOpenReviews(const std::string& issuer_id) override {
    return SelectReviews(tx_,
                         std::string(kReviewColumns) +
                             "WHERE issuer_id = :i AND state IN ('assigned', 'in_progress') "
                             "ORDER BY id",
                         {issuer_id});
  }

  std::map<std::string, int> OpenLoads(const std::string& issuer_id) override {
    std::string reviewer;
    int count = 0;
    soci::statement st = (tx_.sql().prepare << kSelectOpenLoads, soci::use(issuer_id),
                          soci::into(reviewer), soci::into(count));
    st.execute(false);
    std::map<std::string, int> out;
    while (st.fetch()) out[reviewer] = count;
    return out;
  }

  std::vector<Review> ListOverdue(core::TimePoint now, int limit) override {
    return SelectReviews(tx_,
                         std::string(kReviewColumns) +
                             "WHERE state IN ('assigned', 'in_progress') AND due_at < :now "
                             "ORDER BY due_at, public_id LIMIT " +
                             std::to_string(limit),
                         {core::FormatTime(now)});
  }

  void InsertDecision(const Decision& d) override {
    const int tie = d.tie_break ? 1 : 0;
    const std::string at = core::FormatTime(d.decided_at);
    tx_.sql() << kInsertDecision, soci::use(d.submission_id), soci::use(d.issuer_id),
        soci::use(d.decision), soci::use(tie), soci::use(d.deciding_review_id), soci::use(at);
  }

  std::optional<Decision> FindDecision(const std::string& submission_id) override {
    Decision d;
    int tie = 0;
    std::string at;
    soci::indicator ind = soci::i_null;
    tx_.sql() << kSelectDecision, soci::use(submission_id), soci::into(d.issuer_id),
        soci::into(d.decision), soci::into(tie), soci::into(d.deciding_review_id),
        soci::into(at, ind);
    if (ind != soci::i_ok) return std::nullopt;
    d.submission_id = submission_id;
    d.tie_break = tie != 0;
    d.decided_at = Time(at);
    return d;
  }

  void InsertLedger(const LedgerEntry& e) override {
    const std::string at = core::FormatTime(e.completed_at);
    tx_.sql() << kInsertLedger, soci::use(e.review_id), soci::use(e.reviewer_id),
        soci::use(e.issuer_id), soci::use(e.submission_code), soci::use(e.micro_credential_id),
        soci::use(e.amount_cents), soci::use(at);
  }

  std::vector<LedgerEntry> ListLedger(const std::string& issuer_id) override {
    LedgerEntry e;
    std::string at;
    soci::statement st =
        (tx_.sql().prepare << kSelectLedger, soci::use(issuer_id), soci::into(e.review_id),
         soci::into(e.reviewer_id), soci::into(e.submission_code),
         soci::into(e.micro_credential_id), soci::into(e.amount_cents), soci::into(at));
    st.execute(false);
    std::vector<LedgerEntry> out;
    while (st.fetch()) {
      e.issuer_id = issuer_id;
      e.completed_at = Time(at);
      out.push_back(e);
    }
    return out;
  }

  void InsertOverride(const OverrideRecord& o) override {
    const std::string at = core::FormatTime(o.at);
    tx_.sql() << kInsertOverride, soci::use(o.submission_id), soci::use(o.reviewer_id),
        soci::use(o.issuer_id), soci::use(o.actor_id), soci::use(at);
  }

  std::vector<CalibrationRow> ListCalibration(const std::string& issuer_id,
                                              const std::string& reviewer_id) override {
    CalibrationRow row;
    soci::statement st =
        (tx_.sql().prepare << kSelectCalibration, soci::use(issuer_id), soci::use(issuer_id),
         soci::use(reviewer_id), soci::use(reviewer_id), soci::into(row.reviewer_id),
         soci::into(row.issuer_id), soci::into(row.recommendation), soci::into(row.decision));
    st.execute(false);
    std::vector<CalibrationRow> out;
    while (st.fetch()) out.push_back(row);
    return out;
  }

 private:
  // kPolicyColumns with a WHERE/ORDER tail and at most one text parameter.
  std::vector<ReviewPolicy> Policies(const std::string& tail, const std::string* param) {
    ReviewPolicy p;
    int never = 0, allow = 0;
    std::string updated;
    soci::statement st(tx_.sql());
    st.exchange(soci::into(p.issuer_id));
    st.exchange(soci::into(p.sla_days));
    st.exchange(soci::into(never));
    st.exchange(soci::into(p.review_pay_cents));
    st.exchange(soci::into(updated));
    st.exchange(soci::into(allow));
    if (param) st.exchange(soci::use(*param));
    st.alloc();
    st.prepare(std::string(kPolicyColumns) + tail);
    st.define_and_bind();
    st.execute(false);
    std::vector<ReviewPolicy> out;
    while (st.fetch()) {
      p.never_same_district = never != 0;
      p.allow_district_preferences = allow != 0;
      p.updated_at = Time(updated);
      out.push_back(p);
    }
    return out;
  }

  std::vector<DistrictReviewPreferences> Districts(const std::string& tail,
                                                   const std::string* param) {
    DistrictReviewPreferences d;
    int sla = 0, never = 0;
    soci::indicator sla_ind = soci::i_null;
    std::string at;
    soci::statement st(tx_.sql());
    st.exchange(soci::into(d.district_id));
    st.exchange(soci::into(sla, sla_ind));
    st.exchange(soci::into(never));
    st.exchange(soci::into(d.updated_by));
    st.exchange(soci::into(at));
    if (param) st.exchange(soci::use(*param));
    st.alloc();
    st.prepare(std::string(kDistrictColumns) + tail);
    st.define_and_bind();
    st.execute(false);
    std::vector<DistrictReviewPreferences> out;
    while (st.fetch()) {
      d.sla_days = sla_ind == soci::i_ok ? std::optional<int>(sla) : std::nullopt;
      d.never_same_district = never != 0;
      d.updated_at = Time(at);
      out.push_back(d);
    }
    return out;
  }

  std::vector<ReviewerProfile> Profiles(const std::string& issuer_id, const std::string* user_id) {
    std::string user, created, updated;
    int cap = 0, active = 0;
    const std::string filter = user_id ? *user_id : "";
    std::vector<ReviewerProfile> out;
    {
      soci::statement st = (tx_.sql().prepare << kSelectReviewers, soci::use(issuer_id),
                            soci::use(filter), soci::use(filter), soci::into(user), soci::into(cap),
                            soci::into(active), soci::into(created), soci::into(updated));
      st.execute(false);
      while (st.fetch()) {
        ReviewerProfile p;
        p.issuer_id = issuer_id;
        p.user_id = user;
        p.load_cap = cap;
        p.active = active != 0;
        p.created_at = Time(created);
        p.updated_at = Time(updated);
        out.push_back(std::move(p));
      }
    }
    std::string kind, value;
    soci::statement st =
        (tx_.sql().prepare << kSelectQualifications, soci::use(issuer_id), soci::use(filter),
         soci::use(filter), soci::into(user), soci::into(kind), soci::into(value));
    st.execute(false);
    while (st.fetch()) {
      for (auto& p : out) {
        if (p.user_id != user) continue;
        (kind == "mc" ? p.micro_credential_ids : p.tags).push_back(value);
      }
    }
    return out;
  }

  Tx& tx_;
};

}  // namespace

std::unique_ptr<core::review::ReviewRepository> MakeReviewRepository(Tx& tx) {
  return std::make_unique<SqlReviewRepository>(tx);
}

}  // namespace cairn::storage
