#include "app/pages/credential_view.hpp"

#include <set>
#include <string>

#include "app/catalog/markdown.hpp"
#include "core/common/clock.hpp"

namespace cairn::app::pages {
namespace {

using nlohmann::json;

const json& Member(const json& object, const char* key) {
  static const json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

std::string Text(const json& object, const char* key) {
  const json& value = Member(object, key);
  return value.is_string() ? value.get<std::string>() : std::string();
}

// OB 3.0 lets several fields be either an id string or an object with an id.
std::string IdOf(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  return Text(value, "id");
}

const json& Items(const json& value) {
  static const json kEmpty = json::array();
  return value.is_array() ? value : kEmpty;
}

bool IsWebAddress(std::string_view url) {
  return url.starts_with("https://") || url.starts_with("http://");
}

// "2026-11-23T08:00:00Z" -> "2026-11-23", year and month; nothing when it does not parse.
struct Day {
  std::string text;
  int year = 0;
  int month = 0;
};

Day DayOf(const std::string& timestamp) {
  core::TimePoint t{};
  if (timestamp.empty() || !core::ParseTime(timestamp, t)) return {};
  const auto days = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{days};
  Day day;
  day.text = core::FormatTime(days).substr(0, 10);
  day.year = static_cast<int>(ymd.year());
  day.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  return day;
}

}  // namespace

std::string CredentialPageUrl(std::string_view public_url, std::string_view id) {
  return std::string(public_url) + "/credentials/" + UrlEncode(id);
}

CredentialPage BuildCredentialPage(const json& credential, const CredentialFacts& facts,
                                   std::string_view public_url) {
  CredentialPage page;
  page.id = facts.id;
  page.is_private = facts.is_private;
  page.status = facts.status;
  page.status_message = facts.status_message;
  page.earner_name = facts.earner_name;
  page.page_url = CredentialPageUrl(public_url, facts.id);
  page.json_url = page.page_url + ".json";
  page.png_url = page.page_url + "/badge.png";
  page.svg_url = page.page_url + "/badge.svg";
  page.image_url = page.png_url;

  const json& subject = Member(credential, "credentialSubject");
  const json& achievement = Member(subject, "achievement");
  page.achievement_name = Text(achievement, "name");
  if (page.achievement_name.empty()) page.achievement_name = Text(credential, "name");
  page.achievement_type = Text(achievement, "achievementType");
  page.achievement_description_html = catalog::RenderMarkdown(Text(achievement, "description"));
  std::string narrative = Text(Member(achievement, "criteria"), "narrative");

  const json& issuer = Member(credential, "issuer");
  page.issuer_name = issuer.is_object() ? Text(issuer, "name") : std::string();
  if (page.issuer_name.empty()) page.issuer_name = IdOf(issuer);
  const std::string issuer_url = Text(issuer, "url");
  if (IsWebAddress(issuer_url)) page.issuer_url = issuer_url;

  std::string issued = Text(credential, "validFrom");
  if (issued.empty()) issued = Text(credential, "issuanceDate");
  const Day day = DayOf(issued);
  page.issued_on = day.text;
  page.issued_year = day.year;
  page.issued_month = day.month;
  std::string until = Text(credential, "validUntil");
  if (until.empty()) until = Text(credential, "expirationDate");
  page.valid_until = DayOf(until).text;

  // The achieved level of each criterion, from the subject's results. A level whose id is a URI
  // names itself wherever it sits; issuers (1EdTech's own example among them) sometimes point the
  // result at a sibling description, so such ids match alone.
  std::set<std::pair<std::string, std::string>> achieved;
  std::set<std::string> achieved_uris;
  for (const json& result : Items(Member(subject, "result"))) {
    const std::string level = IdOf(Member(result, "achievedLevel"));
    if (level.empty()) continue;
    achieved.emplace(IdOf(Member(result, "resultDescription")), level);
    if (level.find(':') != std::string::npos) achieved_uris.insert(level);
  }
  for (const json& description : Items(Member(achievement, "resultDescription"))) {
    const json& levels = Items(Member(description, "rubricCriterionLevel"));
    if (levels.empty()) continue;
    RubricCriterionView criterion;
    criterion.name = Text(description, "name");
    const std::string description_id = Text(description, "id");
    for (const json& level : levels) {
      RubricLevelView view;
      view.name = Text(level, "name");
      view.description_html = catalog::RenderMarkdown(Text(level, "description"));
      const std::string level_id = Text(level, "id");
      view.achieved = achieved.contains({description_id, level_id}) || achieved_uris.contains(level_id);
      criterion.levels.push_back(std::move(view));
    }
    page.rubric.push_back(std::move(criterion));
  }

  // The page shows the rubric as a table with the achieved levels marked, so the narrative's own
  // "## Rubric" section (Cairn's serializer writes one for displays that only show the narrative)
  // is not repeated.
  if (!page.rubric.empty()) {
    const std::size_t at = narrative.starts_with("## Rubric") ? 0 : narrative.find("\n## Rubric");
    if (at != std::string::npos) narrative.resize(at);
  }
  if (narrative.find_first_not_of(" \t\r\n") != std::string::npos)
    page.criteria_html = catalog::RenderMarkdown(narrative);

  for (const json& item : Items(Member(credential, "evidence"))) {
    EvidenceView view;
    view.name = Text(item, "name");
    view.description = Text(item, "description");
    if (view.description.empty()) view.description = Text(item, "narrative");
    const std::string url = Text(item, "id");
    if (IsWebAddress(url)) view.url = url;
    page.evidence.push_back(std::move(view));
  }
  return page;
}

}  // namespace cairn::app::pages
