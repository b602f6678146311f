#include "storage/catalog_repository.hpp"

#include <deque>
#include <nlohmann/json.hpp>

#include "core/catalog/codec.hpp"

namespace cairn::storage {
namespace {

using core::Error;
using core::catalog::CatalogCard;
using core::catalog::Content;
using core::catalog::MicroCredential;
using core::catalog::State;

constexpr const char* kVersionColumns =
    "SELECT public_id, version, issuer_id, issuer_name, state, revision, content, created_by, "
    "created_at, updated_at, published_at, retired_at FROM catalog_versions ";

constexpr const char* kInsertVersion =
    "INSERT INTO catalog_versions (public_id, version, issuer_id, issuer_name, state, is_current, "
    "revision, title, title_key, summary, subject, subject_key, grade_band, grade_min, grade_max, "
    "estimated_hours, tags, image_url, search_text, content, document, created_by, created_at, "
    "updated_at, published_at, retired_at) VALUES (:public_id, :version, :issuer_id, :issuer_name, "
    ":state, 0, "
    ":revision, :title, :title_key, :summary, :subject, :subject_key, :grade_band, :grade_min, "
    ":grade_max, :hours, :tags, :image_url, :search_text, :content, :document, :created_by, "
    ":created_at, :updated_at, NULL, NULL) RETURNING id";

constexpr const char* kUpdateDraft =
    "UPDATE catalog_versions SET revision = :revision, title = :title, title_key = :title_key, "
    "summary = :summary, subject = :subject, subject_key = :subject_key, "
    "grade_band = :grade_band, grade_min = :grade_min, grade_max = :grade_max, "
    "estimated_hours = :hours, tags = :tags, image_url = :image_url, "
    "search_text = :search_text, content = :content, document = :document, "
    "updated_at = :updated_at "
    "WHERE public_id = :public_id AND version = :version AND state = 'draft' "
    "AND revision = :expected RETURNING id";

constexpr const char* kSelectDraftStamp =
    "SELECT state, revision FROM catalog_versions WHERE public_id = :public_id "
    "AND version = :version";

constexpr const char* kClearCurrent =
    "UPDATE catalog_versions SET is_current = 0 WHERE public_id = :public_id AND is_current = 1";

constexpr const char* kMarkPublished =
    "UPDATE catalog_versions SET state = 'published', is_current = 1, published_at = :at, "
    "updated_at = :at2, document = :document WHERE public_id = :public_id AND version = :version "
    "AND state = 'draft' "
    "RETURNING id";

constexpr const char* kMarkRetired =
    "UPDATE catalog_versions SET state = 'retired', retired_at = :at, updated_at = :at2, "
    "document = :document WHERE public_id = :public_id AND version = :version AND state = "
    "'published' RETURNING id";

constexpr const char* kSelectVersionList =
    "SELECT version, state, title, created_at, published_at, retired_at FROM catalog_versions "
    "WHERE public_id = :public_id ORDER BY version DESC";

constexpr const char* kSelectCurrentDocument =
    "SELECT issuer_id, version, state, document FROM catalog_versions "
    "WHERE public_id = :public_id AND is_current = 1";
constexpr const char* kSelectVersionDocument =
    "SELECT issuer_id, version, state, document FROM catalog_versions "
    "WHERE public_id = :public_id AND version = :version";

constexpr const char* kDeleteTags = "DELETE FROM catalog_tags WHERE version_row = :row";
constexpr const char* kInsertTag =
    "INSERT INTO catalog_tags (tag, version_row) VALUES (:tag, :row)";

constexpr const char* kCardColumns =
    "SELECT v.public_id, v.version, v.issuer_id, v.issuer_name, v.title, v.summary, v.subject, "
    "v.grade_band, v.estimated_hours, v.tags, v.image_url, v.published_at ";

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// What full-text search reads besides title and summary: the rest of the prose, names and codes.
std::string SearchText(const MicroCredential& mc) {
  const Content& c = mc.content;
  std::string text = c.competency + "\n" + c.key_method.description + "\n";
  for (const auto& comp : c.key_method.components)
    text += comp.name + "\n" + comp.description + "\n";
  text += c.research + "\n" + c.subject + "\n" + mc.issuer_name + "\n";
  for (const auto& tag : c.tags) {
    std::string words = tag;
    for (char& ch : words)
      if (ch == '-') ch = ' ';
    text += words + "\n";
  }
  for (const auto& a : c.alignments) text += a.framework + " " + a.code + " " + a.name + "\n";
  for (const auto& cr : c.rubric.criteria) text += cr.name + "\n";
  return text;
}

// The columns derived from a version's content, bound by name in INSERT and UPDATE.
struct Derived {
  std::string title, title_key, summary, subject, subject_key, grade_band, tags, image_url,
      search_text, content;
  int grade_min = 0, grade_max = 0;
  double hours = 0;

  explicit Derived(const MicroCredential& mc) {
    const Content& c = mc.content;
    title = c.title;
    title_key = Lower(c.title);
    summary = c.summary;
    subject = c.subject;
    subject_key = Lower(c.subject);
    grade_band = std::string(ToString(c.grade_band));
    const auto span = SpanOf(c.grade_band);
    grade_min = span.min;
    grade_max = span.max;
    hours = c.estimated_hours;
    tags = nlohmann::json(c.tags).dump();
    image_url = c.image_url;
    search_text = SearchText(mc);
    content = core::catalog::EncodeContent(c).dump();
  }
};

core::TimePoint Time(const std::string& text) {
  core::TimePoint t{};
  core::ParseTime(text, t);
  return t;
}

// Reusable row buffers for SELECTs of kVersionColumns.
struct VersionRow {
  std::string public_id, issuer_id, issuer_name, state, content, created_by, created_at, updated_at,
      published_at, retired_at;
  int version = 0;
  std::int64_t revision = 0;
  soci::indicator published_ind = soci::i_null, retired_ind = soci::i_null;

  void Bind(soci::statement& st) {
    st.exchange(soci::into(public_id));
    st.exchange(soci::into(version));
    st.exchange(soci::into(issuer_id));
    st.exchange(soci::into(issuer_name));
    st.exchange(soci::into(state));
    st.exchange(soci::into(revision));
    st.exchange(soci::into(content));
    st.exchange(soci::into(created_by));
    st.exchange(soci::into(created_at));
    st.exchange(soci::into(updated_at));
    st.exchange(soci::into(published_at, published_ind));
    st.exchange(soci::into(retired_at, retired_ind));
  }

  MicroCredential ToDomain() const {
    MicroCredential mc;
    mc.id = public_id;
    mc.version = version;
    mc.issuer_id = issuer_id;
    mc.issuer_name = issuer_name;
    mc.state = core::catalog::ParseState(state).value_or(State::kDraft);
    mc.revision = revision;
    // The document was written by EncodeContent; failing to read it back is a bug or corruption.
    auto decoded = core::catalog::DecodeContent(nlohmann::json::parse(content));
    if (!decoded.ok())
      throw std::runtime_error("catalog_versions " + public_id + " v" + std::to_string(version) +
                               ": stored content does not decode");
    mc.content = std::move(decoded).value();
    mc.created_by = created_by;
    mc.created_at = Time(created_at);
    mc.updated_at = Time(updated_at);
    if (published_ind == soci::i_ok) mc.published_at = Time(published_at);
    if (retired_ind == soci::i_ok) mc.retired_at = Time(retired_at);
    return mc;
  }
};

// Owns the values a dynamically built statement binds; a deque keeps their addresses stable.
class Bindings {
 public:
  void Text(const std::string& name, std::string value) {
    texts_.push_back(std::move(value));
    uses_.push_back([this, name, p = &texts_.back()](soci::statement& st) {
      st.exchange(soci::use(*p, name));
    });
  }
  void Real(const std::string& name, double value) {
    reals_.push_back(value);
    uses_.push_back(
        [name, p = &reals_.back()](soci::statement& st) { st.exchange(soci::use(*p, name)); });
  }
  void Int(const std::string& name, int value) {
    ints_.push_back(value);
    uses_.push_back(
        [name, p = &ints_.back()](soci::statement& st) { st.exchange(soci::use(*p, name)); });
  }
  void Apply(soci::statement& st) const {
    for (const auto& use : uses_) use(st);
  }

 private:
  std::deque<std::string> texts_;
  std::deque<double> reals_;
  std::deque<int> ints_;
  std::vector<std::function<void(soci::statement&)>> uses_;
};

}  // namespace

std::vector<std::string> SearchTerms(std::string_view text) {
  std::vector<std::string> terms;
  std::string current;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    const bool word =
        (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
    if (word) {
      current += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    } else if (!current.empty()) {
      terms.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) terms.push_back(std::move(current));
  if (terms.size() > 16) terms.resize(16);  // a search box, not a document
  return terms;
}

core::Status SqlCatalogRepository::InsertVersion(const MicroCredential& mc,
                                                 const std::string& document) {
  const Derived d(mc);
  const std::string state(ToString(State::kDraft));
  const std::string created_at = core::FormatTime(mc.created_at);
  const std::string updated_at = core::FormatTime(mc.updated_at);
  std::int64_t row_id = 0;
  // Versions always enter as drafts; SaveState moves them on, so the FTS triggers see each step.
  tx_.sql() << kInsertVersion, soci::use(mc.id, "public_id"), soci::use(mc.version, "version"),
      soci::use(mc.issuer_id, "issuer_id"), soci::use(mc.issuer_name, "issuer_name"),
      soci::use(state, "state"), soci::use(mc.revision, "revision"), soci::use(d.title, "title"),
      soci::use(d.title_key, "title_key"), soci::use(d.summary, "summary"),
      soci::use(d.subject, "subject"), soci::use(d.subject_key, "subject_key"),
      soci::use(d.grade_band, "grade_band"), soci::use(d.grade_min, "grade_min"),
      soci::use(d.grade_max, "grade_max"), soci::use(d.hours, "hours"), soci::use(d.tags, "tags"),
      soci::use(d.image_url, "image_url"), soci::use(d.search_text, "search_text"),
      soci::use(d.content, "content"), soci::use(document, "document"),
      soci::use(mc.created_by, "created_by"), soci::use(created_at, "created_at"),
      soci::use(updated_at, "updated_at"), soci::into(row_id);
  ReplaceTags(row_id, mc.content.tags);
  if (mc.state != State::kDraft) return SaveState(mc, document);
  return core::Ok();
}

core::Status SqlCatalogRepository::UpdateDraft(const MicroCredential& mc,
                                               std::int64_t expected_revision,
                                               const std::string& document) {
  const Derived d(mc);
  const std::string updated_at = core::FormatTime(mc.updated_at);
  std::int64_t row_id = 0;
  soci::indicator row_ind = soci::i_null;
  tx_.sql() << kUpdateDraft, soci::use(mc.revision, "revision"), soci::use(d.title, "title"),
      soci::use(d.title_key, "title_key"), soci::use(d.summary, "summary"),
      soci::use(d.subject, "subject"), soci::use(d.subject_key, "subject_key"),
      soci::use(d.grade_band, "grade_band"), soci::use(d.grade_min, "grade_min"),
      soci::use(d.grade_max, "grade_max"), soci::use(d.hours, "hours"), soci::use(d.tags, "tags"),
      soci::use(d.image_url, "image_url"), soci::use(d.search_text, "search_text"),
      soci::use(d.content, "content"), soci::use(document, "document"),
      soci::use(updated_at, "updated_at"), soci::use(mc.id, "public_id"),
      soci::use(mc.version, "version"), soci::use(expected_revision, "expected"),
      soci::into(row_id, row_ind);
  if (tx_.sql().got_data() && row_ind == soci::i_ok) {
    ReplaceTags(row_id, mc.content.tags);
    return core::Ok();
  }
  std::string state;
  std::int64_t revision = 0;
  tx_.sql() << kSelectDraftStamp, soci::use(mc.id, "public_id"), soci::use(mc.version, "version"),
      soci::into(state), soci::into(revision);
  if (!tx_.sql().got_data()) return Error::NotFound("no such micro-credential version");
  if (state != "draft")
    return Error::InvalidState("version " + std::to_string(mc.version) + " is " + state +
                               " and can no longer be edited");
  return Error::Conflict("the draft was changed by someone else (now at revision " +
                         std::to_string(revision) + "); reload it and apply your edits again");
}

core::Status SqlCatalogRepository::SaveState(const MicroCredential& mc,
                                             const std::string& document) {
  std::int64_t row_id = 0;
  soci::indicator row_ind = soci::i_null;
  if (mc.state == State::kPublished) {
    const std::string at = core::FormatTime(mc.published_at.value_or(mc.updated_at));
    const std::string updated = core::FormatTime(mc.updated_at);
    tx_.sql() << kClearCurrent, soci::use(mc.id, "public_id");
    tx_.sql() << kMarkPublished, soci::use(at, "at"), soci::use(updated, "at2"),
        soci::use(document, "document"), soci::use(mc.id, "public_id"),
        soci::use(mc.version, "version"), soci::into(row_id, row_ind);
  } else if (mc.state == State::kRetired) {
    const std::string at = core::FormatTime(mc.retired_at.value_or(mc.updated_at));
    const std::string updated = core::FormatTime(mc.updated_at);
    tx_.sql() << kMarkRetired, soci::use(at, "at"), soci::use(updated, "at2"),
        soci::use(document, "document"), soci::use(mc.id, "public_id"),
        soci::use(mc.version, "version"), soci::into(row_id, row_ind);
  } else {
    return Error::InvalidState("a version cannot return to draft");
  }
  if (!tx_.sql().got_data() || row_ind != soci::i_ok)
    return Error::Conflict("the micro-credential changed state meanwhile; reload it");
  return core::Ok();
}

std::vector<MicroCredential> SqlCatalogRepository::SelectVersions(const std::string& where,
                                                                  const std::string& key,
                                                                  const int* version) {
  VersionRow row;
  soci::statement st(tx_.sql());
  row.Bind(st);
  std::string k = key;
  int v = version ? *version : 0;
  st.exchange(soci::use(k, "key"));
  if (version) st.exchange(soci::use(v, "version"));
  st.alloc();
  st.prepare(std::string(kVersionColumns) + where);
  st.define_and_bind();
  st.execute(false);
  std::vector<MicroCredential> out;
  while (st.fetch()) out.push_back(row.ToDomain());
  return out;
}

core::Result<MicroCredential> SqlCatalogRepository::GetCurrent(const std::string& id) {
  auto rows = SelectVersions("WHERE public_id = :key AND is_current = 1", id, nullptr);
  if (rows.empty()) return Error::NotFound("no published micro-credential with this id");
  return std::move(rows.front());
}

core::Result<MicroCredential> SqlCatalogRepository::GetVersion(const std::string& id, int version) {
  auto rows = SelectVersions("WHERE public_id = :key AND version = :version", id, &version);
  if (rows.empty()) return Error::NotFound("no such micro-credential version");
  return std::move(rows.front());
}

core::Result<core::catalog::VersionDocument> SqlCatalogRepository::GetDocument(
    const std::string& id, std::optional<int> version) {
  // The public GET: prepared once per connection (see storage::StatementCache).
  struct Query {
    std::string public_id, issuer_id, state, json;
    int requested_version = 0, version = 0;
    soci::statement statement;
    Query(soci::session& sql, bool by_version)
        : statement(by_version ? (sql.prepare << kSelectVersionDocument, soci::use(public_id, "public_id"),
                                  soci::use(requested_version, "version"), soci::into(issuer_id),
                                  soci::into(version), soci::into(state), soci::into(json))
                               : (sql.prepare << kSelectCurrentDocument, soci::use(public_id, "public_id"),
                                  soci::into(issuer_id), soci::into(version), soci::into(state),
                                  soci::into(json))) {}
  };
  const char* key = version ? kSelectVersionDocument : kSelectCurrentDocument;
  auto& q = tx_.cache().Get<Query>(key, [&] { return new Query(tx_.sql(), version.has_value()); });
  q.public_id = id;
  q.requested_version = version.value_or(0);
  if (!q.statement.execute(true)) {
    return Error::NotFound(version ? "no such micro-credential version"
                                   : "no published micro-credential with this id");
  }
  core::catalog::VersionDocument doc;
  doc.issuer_id = q.issuer_id;
  doc.version = q.version;
  doc.json = std::move(q.json);
  doc.state = core::catalog::ParseState(q.state).value_or(State::kDraft);
  // Step to the end so SQLite resets the statement: one left on a row keeps its read snapshot
  // open after COMMIT, and the connection's next transaction would read stale data.
  while (q.statement.fetch()) {
  }
  return doc;
}

core::Result<std::optional<MicroCredential>> SqlCatalogRepository::FindDraft(
    const std::string& id) {
  auto rows = SelectVersions("WHERE public_id = :key AND state = 'draft'", id, nullptr);
  if (rows.empty()) return std::optional<MicroCredential>();
  return std::optional<MicroCredential>(std::move(rows.front()));
}

core::Result<std::vector<core::catalog::VersionSummary>> SqlCatalogRepository::ListVersions(
    const std::string& id) {
  core::catalog::VersionSummary row;
  std::string state, created_at, published_at, retired_at;
  soci::indicator published_ind = soci::i_null, retired_ind = soci::i_null;
  soci::statement st =
      (tx_.sql().prepare << kSelectVersionList, soci::into(row.version), soci::into(state),
       soci::into(row.title), soci::into(created_at), soci::into(published_at, published_ind),
       soci::into(retired_at, retired_ind), soci::use(id, "public_id"));
  st.execute(false);
  std::vector<core::catalog::VersionSummary> out;
  while (st.fetch()) {
    core::catalog::VersionSummary s = row;
    s.state = core::catalog::ParseState(state).value_or(State::kDraft);
    s.created_at = Time(created_at);
    s.published_at = published_ind == soci::i_ok ? std::optional(Time(published_at)) : std::nullopt;
    s.retired_at = retired_ind == soci::i_ok ? std::optional(Time(retired_at)) : std::nullopt;
    out.push_back(std::move(s));
  }
  if (out.empty()) return Error::NotFound("no micro-credential with this id");
  return out;
}

core::Result<std::vector<MicroCredential>> SqlCatalogRepository::ListIssuerDrafts(
    const std::string& issuer_id) {
  return SelectVersions(
      "WHERE issuer_id = :key AND state = 'draft' ORDER BY updated_at DESC, public_id", issuer_id,
      nullptr);
}

void SqlCatalogRepository::ReplaceTags(std::int64_t row_id, const std::vector<std::string>& tags) {
  tx_.sql() << kDeleteTags, soci::use(row_id, "row");
  for (const auto& tag : tags)
    tx_.sql() << kInsertTag, soci::use(tag, "tag"), soci::use(row_id, "row");
}

core::Result<core::catalog::SearchPage> SqlCatalogRepository::Search(
    const core::catalog::SearchQuery& query) {
  using core::catalog::SortOrder;
  Bindings binds;
  const auto terms = SearchTerms(query.text);
  const bool text = !terms.empty();
  std::string from = "FROM catalog_versions v ";
  std::string where = "WHERE v.state = 'published' AND v.is_current = 1";
  std::string rank;
  std::string count_from;  // when counting can skip work that ordering needs
  if (text && tx_.IsSqlite()) {
    // Each term quoted: FTS5 then reads the user's words as words, never as query syntax.
    std::string match;
    for (const auto& t : terms) match += (match.empty() ? "\"" : " \"") + t + "\"";
    // The match runs once, as the outer loop (CROSS JOIN fixes the order): probing the index per
    // catalog row instead re-runs the query for every row and is two orders of magnitude slower.
    from =
        "FROM (SELECT rowid AS fts_id, bm25(catalog_fts, 10.0, 4.0, 1.0) AS fts_rank "
        "FROM catalog_fts WHERE catalog_fts MATCH :match) f "
        "CROSS JOIN catalog_versions v ON v.id = f.fts_id ";
    // Counting needs no ranking.
    count_from =
        "FROM (SELECT rowid AS fts_id FROM catalog_fts WHERE catalog_fts MATCH :match) f "
        "CROSS JOIN catalog_versions v ON v.id = f.fts_id ";
    binds.Text("match", match);
    rank = "f.fts_rank";
  } else if (text) {
    std::string words;
    for (const auto& t : terms) words += (words.empty() ? "" : " ") + t;
    from = "FROM catalog_versions v CROSS JOIN plainto_tsquery('english', :match) q ";
    where += " AND v.search_vector @@ q";
    binds.Text("match", words);
    rank = "ts_rank_cd(v.search_vector, q) DESC";
  }
  if (!query.issuer_id.empty()) {
    where += " AND v.issuer_id = :issuer";
    binds.Text("issuer", query.issuer_id);
  }
  if (!query.subject.empty()) {
    where += " AND v.subject_key = :subject";
    binds.Text("subject", Lower(query.subject));
  }
  if (query.grade_band) {
    const auto span = SpanOf(*query.grade_band);
    where += " AND v.grade_min <= :band_max AND v.grade_max >= :band_min";
    binds.Int("band_max", span.max);
    binds.Int("band_min", span.min);
  }
  if (query.min_hours) {
    where += " AND v.estimated_hours >= :min_hours";
    binds.Real("min_hours", *query.min_hours);
  }
  if (query.max_hours) {
    where += " AND v.estimated_hours <= :max_hours";
    binds.Real("max_hours", *query.max_hours);
  }
  if (!query.tag.empty()) {
    where +=
        " AND EXISTS (SELECT 1 FROM catalog_tags t WHERE t.version_row = v.id AND t.tag = :tag)";
    binds.Text("tag", Lower(query.tag));
  }

  core::catalog::SearchPage page;
  page.page = query.page;
  page.page_size = query.page_size;
  {
    soci::statement count(tx_.sql());
    std::int64_t total = 0;
    count.exchange(soci::into(total));
    binds.Apply(count);
    count.alloc();
    count.prepare("SELECT count(*) " + (count_from.empty() ? from : count_from) + where);
    count.define_and_bind();
    count.execute(true);
    page.total = total;
  }

  std::string order;
  switch (query.sort) {
    case SortOrder::kRelevance:
      order = text ? rank + ", v.public_id" : "v.published_at DESC, v.public_id";
      break;
    case SortOrder::kTitle:
      order = "v.title_key, v.public_id";
      break;
    case SortOrder::kNewest:
      order = "v.published_at DESC, v.public_id";
      break;
    case SortOrder::kHours:
      order = "v.estimated_hours, v.title_key, v.public_id";
      break;
  }
  binds.Int("limit", query.page_size);
  binds.Int("offset", (query.page - 1) * query.page_size);

  CatalogCard card;
  std::string grade_band, tags, published_at;
  soci::indicator image_ind = soci::i_ok, published_ind = soci::i_null;
  soci::statement st(tx_.sql());
  st.exchange(soci::into(card.id));
  st.exchange(soci::into(card.version));
  st.exchange(soci::into(card.issuer_id));
  st.exchange(soci::into(card.issuer_name));
  st.exchange(soci::into(card.title));
  st.exchange(soci::into(card.summary));
  st.exchange(soci::into(card.subject));
  st.exchange(soci::into(grade_band));
  st.exchange(soci::into(card.estimated_hours));
  st.exchange(soci::into(tags));
  st.exchange(soci::into(card.image_url, image_ind));
  st.exchange(soci::into(published_at, published_ind));
  binds.Apply(st);
  st.alloc();
  st.prepare(kCardColumns + from + where + " ORDER BY " + order + " LIMIT :limit OFFSET :offset");
  st.define_and_bind();
  st.execute(false);
  while (st.fetch()) {
    CatalogCard item = card;
    item.grade_band =
        core::catalog::ParseGradeBand(grade_band).value_or(core::catalog::GradeBand::kK12);
    item.tags = nlohmann::json::parse(tags).get<std::vector<std::string>>();
    if (image_ind != soci::i_ok) item.image_url.clear();
    if (published_ind == soci::i_ok) item.published_at = Time(published_at);
    page.items.push_back(std::move(item));
  }
  return page;
}

}  // namespace cairn::storage
