#include "app/credentials/open_badge.hpp"

#include <sodium.h>

#include <chrono>
#include <ctime>

namespace cairn::app::credentials {
namespace {

using nlohmann::json;

std::string Hex(const unsigned char* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 15];
  }
  return out;
}

std::string Slug(std::string_view text) {
  // Rubric ids are slugs already; this keeps a fragment valid if one is not.
  std::string out;
  for (char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    out += ok ? c : '-';
  }
  return out;
}

std::string CriterionId(const std::string& achievement_id, const std::string& criterion) {
  return achievement_id + "#criterion-" + Slug(criterion);
}

std::string LevelId(const std::string& achievement_id, const std::string& criterion,
                    const std::string& level) {
  return achievement_id + "#criterion-" + Slug(criterion) + "-level-" + Slug(level);
}

json Profile(const IssuerProfile& issuer) {
  json p = {{"id", issuer.id}, {"type", json::array({"Profile"})}, {"name", issuer.name}};
  if (!issuer.url.empty()) p["url"] = issuer.url;
  return p;
}

json Identity(const std::string& email, const std::string& salt) {
  return {{"type", "IdentityObject"},
          {"hashed", true},
          {"identityHash", HashedIdentity(email, salt)},
          {"identityType", "emailAddress"},
          {"salt", salt}};
}

}  // namespace

std::string HashedIdentity(const std::string& email, const std::string& salt) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  const std::string input = email + salt;
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(input.data()), input.size());
  return "sha256$" + Hex(digest, sizeof digest);
}

std::string DateTime(core::TimePoint t) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(
      std::chrono::floor<std::chrono::seconds>(t));
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

std::string RubricMarkdown(const core::catalog::Rubric& rubric) {
  // Only criterion and level names: the descriptors live once, in resultDescription. Repeating
  // them here doubled the credential and with it the cost of signing and verifying every award.
  std::string out = "## Rubric\n\n";
  for (const auto& criterion : rubric.criteria) {
    out += "- **" + criterion.name + "**:";
    for (std::size_t i = 0; i < criterion.levels.size(); ++i)
      out += (i == 0 ? " " : ", ") + criterion.levels[i].name;
    out += "\n";
  }
  out += "\nEach level's description is in the achievement's resultDescription.\n";
  return out;
}

json SerializeAchievementV1(const OpenBadgeInput& in) {
  const auto& mc = in.micro_credential;
  const auto& content = mc.content;

  std::string narrative = content.competency;
  if (!narrative.empty()) narrative += "\n\n";
  narrative += RubricMarkdown(content.rubric);

  json achievement = {
      {"id", in.achievement_id},
      {"type", json::array({"Achievement"})},
      {"achievementType", "MicroCredential"},
      {"name", content.title},
      {"description", content.summary.empty() ? content.title : content.summary},
      {"criteria", {{"id", in.achievement_id + "#criteria"}, {"narrative", narrative}}},
      {"creator", Profile(in.issuer)},
      {"version", std::to_string(mc.version)},
  };
  if (!in.image_url.empty()) achievement["image"] = {{"id", in.image_url}, {"type", "Image"}};
  if (!content.tags.empty()) achievement["tag"] = content.tags;
  if (!content.alignments.empty()) {
    json alignments = json::array();
    for (const auto& a : content.alignments) {
      // Named like every other node of the Achievement: with no blank node in it, its canonical
      // form is the same in every award, and bulk issuing computes it once (jsonld::SharedNode).
      json entry = {{"id", in.achievement_id + "#alignment-" + std::to_string(alignments.size() + 1)},
                    {"type", json::array({"Alignment"})},
                    {"targetName", a.name.empty() ? a.code : a.name},
                    {"targetType", "CFItem"}};
      // targetUrl is required by OB 3.0; an alignment without one points at the achievement.
      entry["targetUrl"] = a.url.empty() ? in.achievement_id : a.url;
      if (!a.framework.empty()) entry["targetFramework"] = a.framework;
      if (!a.code.empty()) entry["targetCode"] = a.code;
      alignments.push_back(std::move(entry));
    }
    achievement["alignment"] = std::move(alignments);
  }
  json descriptions = json::array();
  for (const auto& criterion : content.rubric.criteria) {
    json levels = json::array();
    for (const auto& level : criterion.levels) {
      json entry = {{"id", LevelId(in.achievement_id, criterion.id, level.id)},
                    {"type", json::array({"RubricCriterionLevel"})},
                    {"name", level.name},
                    {"level", level.id}};
      if (!level.descriptor.empty()) entry["description"] = level.descriptor;
      levels.push_back(std::move(entry));
    }
    descriptions.push_back({{"id", CriterionId(in.achievement_id, criterion.id)},
                            {"type", json::array({"ResultDescription"})},
                            {"name", criterion.name},
                            {"resultType", "RubricCriterionLevel"},
                            {"rubricCriterionLevel", std::move(levels)}});
  }
  if (!descriptions.empty()) achievement["resultDescription"] = std::move(descriptions);
  return achievement;
}

json SerializeOpenBadgeCredentialV1(const OpenBadgeInput& in) {
  return SerializeOpenBadgeCredentialV1(in, SerializeAchievementV1(in),
                                        in.micro_credential.content.title);
}

json SerializeOpenBadgeCredentialV1(const OpenBadgeInput& in, json achievement, std::string title) {
  json subject = {{"type", json::array({"AchievementSubject"})},
                  {"identifier", json::array({Identity(in.recipient_email, in.identity_salt)})},
                  {"achievement", std::move(achievement)}};
  if (!in.recipient_did.empty()) subject["id"] = in.recipient_did;
  if (!in.ratings.empty()) {
    json results = json::array();
    for (const auto& rating : in.ratings) {
      results.push_back({{"type", json::array({"Result"})},
                         {"resultDescription", CriterionId(in.achievement_id, rating.criterion_id)},
                         {"achievedLevel",
                          LevelId(in.achievement_id, rating.criterion_id, rating.level_id)}});
    }
    subject["result"] = std::move(results);
  }

  json credential = {
      {"@context", json::array({kVcContext, kObContext})},
      {"id", in.credential_id},
      {"type", json::array({"VerifiableCredential", "OpenBadgeCredential"})},
      {"issuer", Profile(in.issuer)},
      {"name", std::move(title)},
      {"validFrom", DateTime(in.valid_from)},
      {"credentialSubject", std::move(subject)},
      {"credentialStatus",
       {{"id", in.status.list_url + "#" + std::to_string(in.status.index)},
        {"type", "BitstringStatusListEntry"},
        {"statusPurpose", "revocation"},
        {"statusListIndex", std::to_string(in.status.index)},
        {"statusListCredential", in.status.list_url}}},
  };
  if (in.valid_until) credential["validUntil"] = DateTime(*in.valid_until);
  if (!in.evidence.empty()) {
    json evidence = json::array();
    for (const auto& e : in.evidence) {
      json entry = {{"id", e.id}, {"type", json::array({"Evidence"})}, {"name", e.name}};
      if (!e.description.empty()) entry["description"] = e.description;
      if (!e.genre.empty()) entry["genre"] = e.genre;
      evidence.push_back(std::move(entry));
    }
    credential["evidence"] = std::move(evidence);
  }
  return credential;
}

json SerializeStatusListCredentialV1(const std::string& list_url, const IssuerProfile& issuer,
                                     const std::string& encoded_list, core::TimePoint valid_from) {
  return {{"@context", json::array({kVcContext})},
          {"id", list_url},
          {"type", json::array({"VerifiableCredential", "BitstringStatusListCredential"})},
          {"issuer", issuer.id},
          {"validFrom", DateTime(valid_from)},
          {"credentialSubject",
           {{"id", list_url + "#list"},
            {"type", "BitstringStatusList"},
            {"statusPurpose", "revocation"},
            {"encodedList", encoded_list}}}};
}

json SerializeClrCredentialV1(const std::string& id, const IssuerProfile& issuer,
                              const std::string& learner_name, const std::string& recipient_email,
                              const std::string& identity_salt,
                              const std::vector<json>& credentials, core::TimePoint valid_from) {
  json achievements = json::array();
  for (const auto& c : credentials) {
    const auto subject = c.find("credentialSubject");
    if (subject != c.end() && subject->contains("achievement"))
      achievements.push_back((*subject)["achievement"]);
  }
  json subject = {{"type", json::array({"ClrSubject"})},
                  {"identifier", json::array({Identity(recipient_email, identity_salt)})},
                  {"verifiableCredential", credentials}};
  if (!achievements.empty()) subject["achievement"] = std::move(achievements);
  return {{"@context", json::array({kVcContext, kClrContext, kObContext})},
          {"id", id},
          {"type", json::array({"VerifiableCredential", "ClrCredential"})},
          {"issuer", Profile(issuer)},
          {"name", "Micro-credential transcript of " + learner_name},
          {"validFrom", DateTime(valid_from)},
          {"credentialSubject", std::move(subject)}};
}

json SerializeControllerDocumentV1(const IssuerProfile& issuer, const std::vector<PublishedKey>& keys,
                                   bool did_document) {
  json methods = json::array();
  json assertion = json::array();
  for (const auto& k : keys) {
    methods.push_back({{"id", k.method_id},
                       {"type", "Multikey"},
                       {"controller", issuer.id},
                       {"publicKeyMultibase", k.public_multikey}});
    assertion.push_back(k.method_id);
  }
  json doc;
  if (did_document) {
    doc["@context"] = json::array({"https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"});
  } else {
    // The issuer Profile and its controller document in one: verifiers fetch the issuer URL.
    doc["@context"] = json::array({kVcContext, kObContext, "https://w3id.org/security/multikey/v1"});
    doc["type"] = json::array({"Profile"});
    doc["name"] = issuer.name;
    if (!issuer.url.empty()) doc["url"] = issuer.url;
  }
  doc["id"] = issuer.id;
  doc["verificationMethod"] = std::move(methods);
  doc["assertionMethod"] = std::move(assertion);
  return doc;
}

}  // namespace cairn::app::credentials
