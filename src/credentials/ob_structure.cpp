#include "credentials/ob_structure.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <functional>
#include <string_view>

namespace cairn::credentials {
namespace {

using nlohmann::json;

constexpr std::string_view kVc2Context = "https://www.w3.org/ns/credentials/v2";
constexpr std::string_view kVc1Context = "https://www.w3.org/2018/credentials/v1";
// Early drafts used other URLs for the same contexts; 1EdTech's validator still accepts them.
constexpr std::array<std::string_view, 2> kObContextAliases = {
    "https://imsglobal.github.io/openbadges-specification/context.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context.json"};
constexpr std::string_view kObContextPrefix = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.";
constexpr std::array<std::string_view, 2> kClrContextAliases = {
    "https://dc.imsglobal.org/draft/clr/v2p0/context",
    "https://purl.imsglobal.org/spec/clr/v2p0/context.json"};
constexpr std::string_view kClrContextPrefix =
    "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.";
constexpr int kMaxNesting = 6;  // endorsements of endorsements, parentOrg chains, CLR contents

constexpr std::array<std::string_view, 7> kResultStatuses = {
    "Completed", "Enrolled", "Failed", "InProgress", "OnHold", "Provisional", "Withdrew"};

enum class VcVersion { kUnknown, kV1, kV2 };
enum class CredentialKind { kAchievement, kEndorsement, kClr };

std::string Escaped(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string At(const std::string& pointer, std::string_view key) {
  return pointer + "/" + Escaped(key);
}
std::string At(const std::string& pointer, std::size_t index) {
  return pointer + "/" + std::to_string(index);
}

// An absolute URI: a scheme, a colon and no whitespace (RFC 3986 §3.1).
bool IsUri(const json& value) {
  if (!value.is_string()) return false;
  const auto& text = value.get_ref<const std::string&>();
  const auto colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return false;
  if (!std::isalpha(static_cast<unsigned char>(text[0]))) return false;
  for (std::size_t i = 1; i < colon; ++i) {
    const char c = text[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return false;
    }
  }
  for (char c : text) {
    if (static_cast<unsigned char>(c) <= ' ') return false;
  }
  return true;
}

bool IsString(const json& value, std::string_view expected) {
  return value.is_string() && value.get_ref<const std::string&>() == expected;
}

bool TypeIncludes(const json& type, std::string_view name) {
  if (type.is_string()) return type.get_ref<const std::string&>() == name;
  if (!type.is_array()) return false;
  for (const json& entry : type) {
    if (entry.is_string() && entry.get_ref<const std::string&>() == name) return true;
  }
  return false;
}

bool IsObContext(std::string_view url) {
  for (std::string_view alias : kObContextAliases) {
    if (url == alias) return true;
  }
  return url.starts_with(kObContextPrefix) && url.ends_with(".json");
}

bool IsClrContext(std::string_view url) {
  for (std::string_view alias : kClrContextAliases) {
    if (url == alias) return true;
  }
  return url.starts_with(kClrContextPrefix) && url.ends_with(".json");
}

int Digits(const std::string& text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) return -1;
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

class Checker {
 public:
  explicit Checker(const StructureOptions& options) : options_(options) {}

  std::vector<StructureFinding> Take() { return std::move(findings_); }

  void Credential(const json& vc, const std::string& at, int depth) {
    if (!vc.is_object()) return Add(at, "a credential must be a JSON object");
    if (depth > kMaxNesting) return Add(at, "credentials are nested too deeply");
    const CredentialKind kind = Kind(vc, at);
    const VcVersion version = Context(vc, at, kind);

    // id and name are required of a credential, but 1EdTech's own positive fixtures embed
    // endorsements and CLR members without them, so inside another credential they may be absent.
    if (vc.contains("id")) {
      Uri(vc["id"], At(at, "id"));
    } else if (depth == 0) {
      Add(At(at, "id"), "id is required");
    }
    if (depth == 0 || vc.contains("name")) RequiredString(vc, at, "name");
    OptionalString(vc, at, "description");
    if (!vc.contains("issuer")) {
      Add(At(at, "issuer"), "issuer is required (a Profile with id and type Profile)");
    } else if (vc["issuer"].is_string()) {
      Uri(vc["issuer"], At(at, "issuer"));
    } else {
      Profile(vc["issuer"], At(at, "issuer"), depth);
    }
    Dates(vc, at, version, depth);
    if (vc.contains("image")) Image(vc["image"], At(at, "image"));
    OptionalDateTime(vc, at, "awardedDate");

    if (!vc.contains("credentialSubject")) {
      Add(At(at, "credentialSubject"), "credentialSubject is required");
    } else {
      const json& subject = vc["credentialSubject"];
      const std::string subject_at = At(at, "credentialSubject");
      switch (kind) {
        case CredentialKind::kAchievement: AchievementSubject(subject, subject_at, depth); break;
        case CredentialKind::kEndorsement: EndorsementSubject(subject, subject_at); break;
        case CredentialKind::kClr: ClrSubject(subject, subject_at, depth); break;
      }
    }
    Endorsements(vc, at, depth);
    Each(vc, at, "evidence", [&](const json& e, const std::string& p) { Evidence(e, p); });
    Each(vc, at, "credentialStatus", [&](const json& s, const std::string& p) { Status(s, p); });
    Each(vc, at, "credentialSchema", [&](const json& s, const std::string& p) {
      IdAndType(s, p, "credentialSchema");
    });
    Each(vc, at, "refreshService", [&](const json& s, const std::string& p) {
      IdAndType(s, p, "refreshService");
    });
    Each(vc, at, "proof", [&](const json& p, const std::string& where) { Proof(p, where); });
  }

 private:
  void Add(std::string pointer, std::string message) {
    findings_.push_back({std::move(pointer), std::move(message)});
  }

  CredentialKind Kind(const json& vc, const std::string& at) {
    const std::string type_at = At(at, "type");
    if (!vc.contains("type")) {
      Add(type_at, "type is required");
      return CredentialKind::kAchievement;
    }
    const json& type = vc["type"];
    if (!TypeIncludes(type, "VerifiableCredential")) {
      Add(type_at, "type must include VerifiableCredential");
    }
    if (TypeIncludes(type, "OpenBadgeCredential") || TypeIncludes(type, "AchievementCredential")) {
      return CredentialKind::kAchievement;
    }
    if (TypeIncludes(type, "EndorsementCredential")) return CredentialKind::kEndorsement;
    if (TypeIncludes(type, "ClrCredential")) return CredentialKind::kClr;
    Add(type_at,
        "type must include OpenBadgeCredential or AchievementCredential (or "
        "EndorsementCredential, ClrCredential)");
    return CredentialKind::kAchievement;
  }

  VcVersion Context(const json& vc, const std::string& at, CredentialKind kind) {
    const std::string context_at = At(at, "@context");
    if (!vc.contains("@context")) {
      Add(context_at, "@context is required");
      return VcVersion::kUnknown;
    }
    const json& context = vc["@context"];
    if (!context.is_array() || context.empty()) {
      Add(context_at, "@context must be an array starting with the VC context");
      return VcVersion::kUnknown;
    }
    VcVersion version = VcVersion::kUnknown;
    if (IsString(context[0], kVc2Context)) {
      version = VcVersion::kV2;
    } else if (IsString(context[0], kVc1Context)) {
      version = VcVersion::kV1;
    } else {
      Add(At(context_at, 0), "the first @context entry must be " + std::string(kVc2Context) +
                                 " (or " + std::string(kVc1Context) + " for VC 1.1)");
    }
    bool has_ob = false;
    bool has_clr = false;
    for (const json& entry : context) {
      if (!entry.is_string()) continue;
      has_ob = has_ob || IsObContext(entry.get_ref<const std::string&>());
      has_clr = has_clr || IsClrContext(entry.get_ref<const std::string&>());
    }
    if (kind == CredentialKind::kClr && !has_clr) {
      Add(context_at, "@context must include a CLR 2.0 context");
    } else if (kind != CredentialKind::kClr && !has_ob) {
      Add(context_at, "@context must include an Open Badges 3.0 context");
    }
    return version;
  }

  void Dates(const json& vc, const std::string& at, VcVersion version, int depth) {
    // VC 2.0 names the validity period validFrom/validUntil; VC 1.1 issuanceDate/expirationDate.
    const char* from_key = "validFrom";
    const char* until_key = "validUntil";
    if (version == VcVersion::kV1 ||
        (version == VcVersion::kUnknown && !vc.contains("validFrom"))) {
      from_key = "issuanceDate";
      until_key = "expirationDate";
    }
    const std::string from_at = At(at, from_key);
    const std::string until_at = At(at, until_key);
    std::optional<std::chrono::sys_seconds> from;
    std::optional<std::chrono::sys_seconds> until;
    if (!vc.contains(from_key)) {
      Add(from_at, std::string(from_key) + " is required" +
                       (version == VcVersion::kV1 ? " in a VC 1.1 credential"
                                                  : " (VC 2.0 uses validFrom)"));
    } else {
      from = DateTime(vc[from_key], from_at);
    }
    if (vc.contains(until_key)) until = DateTime(vc[until_key], until_at);
    if (from && until && *until < *from) Add(until_at, std::string(until_key) + " is before " + from_key);
    // The validity period is the top credential's; an embedded endorsement that lapsed does not
    // make the credential carrying it invalid.
    if (depth > 0 || !options_.now) return;
    if (from && *from > *options_.now) {
      Add(from_at, "the credential is not valid yet (" + std::string(from_key) + " is in the future)");
    }
    if (until && *until < *options_.now) {
      Add(until_at, "the credential has expired (" + std::string(until_key) + " has passed)");
    }
  }

  void AchievementSubject(const json& subject, const std::string& at, int depth) {
    if (!subject.is_object()) return Add(at, "credentialSubject must be an AchievementSubject object");
    Type(subject, at, "AchievementSubject");
    if (subject.contains("id")) Uri(subject["id"], At(at, "id"));
    const bool has_identifier = subject.contains("identifier") && !subject["identifier"].empty();
    if (!subject.contains("id") && !has_identifier) {
      Add(at, "credentialSubject needs an id or at least one identifier");
    }
    Each(subject, at, "identifier",
         [&](const json& i, const std::string& p) { IdentityObject(i, p); });
    if (!subject.contains("achievement")) {
      Add(At(at, "achievement"), "achievement is required");
    } else {
      Achievement(subject["achievement"], At(at, "achievement"), depth);
    }
    Each(subject, at, "result", [&](const json& r, const std::string& p) { Result(r, p); });
    if (subject.contains("source")) Profile(subject["source"], At(at, "source"), depth);
    if (subject.contains("image")) Image(subject["image"], At(at, "image"));
    OptionalDateTime(subject, at, "activityStartDate");
    OptionalDateTime(subject, at, "activityEndDate");
  }

  void EndorsementSubject(const json& subject, const std::string& at) {
    if (!subject.is_object()) return Add(at, "credentialSubject must be an EndorsementSubject object");
    Type(subject, at, "EndorsementSubject");
    if (!subject.contains("id")) return Add(At(at, "id"), "id of the endorsed entity is required");
    Uri(subject["id"], At(at, "id"));
    OptionalString(subject, at, "endorsementComment");
  }

  void ClrSubject(const json& subject, const std::string& at, int depth) {
    if (!subject.is_object()) return Add(at, "credentialSubject must be a ClrSubject object");
    Type(subject, at, "ClrSubject");
    if (subject.contains("id")) Uri(subject["id"], At(at, "id"));
    Each(subject, at, "identifier",
         [&](const json& i, const std::string& p) { IdentityObject(i, p); });
    const std::string vcs_at = At(at, "verifiableCredential");
    if (!subject.contains("verifiableCredential") || !subject["verifiableCredential"].is_array() ||
        subject["verifiableCredential"].empty()) {
      Add(vcs_at, "verifiableCredential must be a non-empty array of AchievementCredentials");
    } else {
      const json& vcs = subject["verifiableCredential"];
      for (std::size_t i = 0; i < vcs.size(); ++i) {
        if (vcs[i].is_string()) continue;  // a compact JWS; checked once decoded
        Credential(vcs[i], At(vcs_at, i), depth + 1);
      }
    }
    Each(subject, at, "achievement",
         [&](const json& a, const std::string& p) { Achievement(a, p, depth); });
  }

  void Achievement(const json& achievement, const std::string& at, int depth) {
    if (!achievement.is_object()) return Add(at, "achievement must be an Achievement object");
    RequiredUri(achievement, at, "id");
    Type(achievement, at, "Achievement");
    RequiredString(achievement, at, "name");
    RequiredString(achievement, at, "description");
    const std::string criteria_at = At(at, "criteria");
    if (!achievement.contains("criteria")) {
      Add(criteria_at, "criteria is required (with an id or a narrative)");
    } else if (const json& criteria = achievement["criteria"]; !criteria.is_object()) {
      Add(criteria_at, "criteria must be an object");
    } else {
      if (!criteria.contains("id") && !criteria.contains("narrative")) {
        Add(criteria_at, "criteria needs an id or a narrative");
      }
      if (criteria.contains("id")) Uri(criteria["id"], At(criteria_at, "id"));
      OptionalString(criteria, criteria_at, "narrative");
    }
    Each(achievement, at, "alignment", [&](const json& a, const std::string& p) { Alignment(a, p); });
    Each(achievement, at, "resultDescription",
         [&](const json& r, const std::string& p) { ResultDescription(r, p); });
    Each(achievement, at, "otherIdentifier",
         [&](const json& i, const std::string& p) { IdentifierEntry(i, p); });
    if (achievement.contains("creator")) Profile(achievement["creator"], At(at, "creator"), depth);
    if (achievement.contains("image")) Image(achievement["image"], At(at, "image"));
    Endorsements(achievement, at, depth);
  }

  void Alignment(const json& alignment, const std::string& at) {
    if (!alignment.is_object()) return Add(at, "alignment must be an Alignment object");
    Type(alignment, at, "Alignment");
    RequiredString(alignment, at, "targetName");
    RequiredUri(alignment, at, "targetUrl");
  }

  void ResultDescription(const json& description, const std::string& at) {
    if (!description.is_object()) return Add(at, "resultDescription must be a ResultDescription");
    RequiredUri(description, at, "id");
    Type(description, at, "ResultDescription");
    RequiredString(description, at, "name");
    RequiredString(description, at, "resultType");
    Each(description, at, "alignment", [&](const json& a, const std::string& p) { Alignment(a, p); });
    Each(description, at, "rubricCriterionLevel", [&](const json& level, const std::string& p) {
      if (!level.is_object()) return Add(p, "rubricCriterionLevel must be an object");
      RequiredUri(level, p, "id");
      Type(level, p, "RubricCriterionLevel");
      RequiredString(level, p, "name");
      Each(level, p, "alignment", [&](const json& a, const std::string& q) { Alignment(a, q); });
    });
  }

  void Result(const json& result, const std::string& at) {
    if (!result.is_object()) return Add(at, "result must be a Result object");
    Type(result, at, "Result");
    if (result.contains("resultDescription")) Uri(result["resultDescription"], At(at, "resultDescription"));
    if (result.contains("achievedLevel")) Uri(result["achievedLevel"], At(at, "achievedLevel"));
    if (result.contains("status")) {
      const json& status = result["status"];
      bool known = false;
      for (std::string_view name : kResultStatuses) known = known || IsString(status, name);
      if (!known) Add(At(at, "status"), "status must be one of the ResultStatusType values");
    }
    Each(result, at, "alignment", [&](const json& a, const std::string& p) { Alignment(a, p); });
  }

  void IdentityObject(const json& identity, const std::string& at) {
    if (!identity.is_object()) return Add(at, "identifier must be an IdentityObject");
    Type(identity, at, "IdentityObject");
    if (!identity.contains("hashed") || !identity["hashed"].is_boolean()) {
      Add(At(at, "hashed"), "hashed is required and must be a boolean");
    }
    RequiredString(identity, at, "identityHash");
    RequiredString(identity, at, "identityType");
    OptionalString(identity, at, "salt");
  }

  void IdentifierEntry(const json& entry, const std::string& at) {
    if (!entry.is_object()) return Add(at, "otherIdentifier must be an IdentifierEntry");
    Type(entry, at, "IdentifierEntry");
    RequiredString(entry, at, "identifier");
    RequiredString(entry, at, "identifierType");
  }

  void Profile(const json& profile, const std::string& at, int depth) {
    if (!profile.is_object()) return Add(at, "must be a Profile object with id and type Profile");
    if (depth > kMaxNesting) return Add(at, "profiles are nested too deeply");
    RequiredUri(profile, at, "id");
    Type(profile, at, "Profile");
    OptionalString(profile, at, "name");
    Each(profile, at, "otherIdentifier",
         [&](const json& i, const std::string& p) { IdentifierEntry(i, p); });
    if (profile.contains("parentOrg")) Profile(profile["parentOrg"], At(at, "parentOrg"), depth + 1);
    if (profile.contains("image")) Image(profile["image"], At(at, "image"));
    if (profile.contains("address")) {
      const json& address = profile["address"];
      if (!address.is_object()) {
        Add(At(at, "address"), "address must be an Address object");
      } else {
        Type(address, At(at, "address"), "Address");
      }
    }
    Endorsements(profile, at, depth);
  }

  void Image(const json& image, const std::string& at) {
    if (!image.is_object()) return Add(at, "image must be an Image object with id and type Image");
    RequiredUri(image, at, "id");
    Type(image, at, "Image");
  }

  void Evidence(const json& evidence, const std::string& at) {
    if (!evidence.is_object()) return Add(at, "evidence must be an Evidence object");
    Type(evidence, at, "Evidence");
    if (evidence.contains("id")) Uri(evidence["id"], At(at, "id"));
  }

  void Endorsements(const json& holder, const std::string& at, int depth) {
    Each(holder, at, "endorsement", [&](const json& e, const std::string& p) {
      if (e.is_object() && !TypeIncludes(e.value("type", json()), "EndorsementCredential")) {
        return Add(At(p, "type"), "an endorsement must be an EndorsementCredential");
      }
      Credential(e, p, depth + 1);
    });
  }

  void Status(const json& status, const std::string& at) {
    if (!status.is_object()) return Add(at, "credentialStatus must be an object");
    if (!status.contains("type") || !(status["type"].is_string() || status["type"].is_array())) {
      return Add(At(at, "type"), "credentialStatus needs a type");
    }
    if (status.contains("id")) Uri(status["id"], At(at, "id"));
    if (TypeIncludes(status["type"], "BitstringStatusListEntry")) {
      RequiredString(status, at, "statusPurpose");
      const std::string index_at = At(at, "statusListIndex");
      if (!status.contains("statusListIndex")) {
        Add(index_at, "statusListIndex is required");
      } else if (const json& index = status["statusListIndex"];
                 !(index.is_string() && !index.get_ref<const std::string&>().empty() &&
                   index.get_ref<const std::string&>().find_first_not_of("0123456789") ==
                       std::string::npos) &&
                 !index.is_number_unsigned()) {
        Add(index_at, "statusListIndex must be a non-negative integer as a string");
      }
      RequiredUri(status, at, "statusListCredential");
    } else if (TypeIncludes(status["type"], "1EdTechRevocationList")) {
      RequiredUri(status, at, "id");
    }
  }

  void IdAndType(const json& value, const std::string& at, const char* what) {
    if (!value.is_object()) return Add(at, std::string(what) + " must be an object");
    RequiredUri(value, at, "id");
    if (!value.contains("type") || !value["type"].is_string()) {
      Add(At(at, "type"), std::string(what) + " needs a type");
    }
  }

  void Proof(const json& proof, const std::string& at) {
    if (!proof.is_object()) return Add(at, "proof must be an object");
    if (!proof.contains("type") || !proof["type"].is_string()) {
      Add(At(at, "type"), "proof needs a type");
    } else if (proof["type"] == "DataIntegrityProof") {
      RequiredString(proof, at, "cryptosuite");
    }
    OptionalDateTime(proof, at, "created");
    if (proof.contains("proofValue")) RequiredString(proof, at, "proofValue");
    if (proof.contains("verificationMethod")) {
      const json& method = proof["verificationMethod"];
      const std::string method_at = At(at, "verificationMethod");
      if (method.is_string()) {
        if (!IsUri(method)) {
          Add(method_at, "verificationMethod must be a URI (it has no scheme)");
        } else {
          // A verifier finds keys over http(s), from a DID, or (urn:uuid) in a controller it was given.
          const auto& text = method.get_ref<const std::string&>();
          const std::string scheme = text.substr(0, text.find(':'));
          if (scheme != "https" && scheme != "http" && scheme != "did" && scheme != "urn") {
            Add(method_at, "verificationMethod has the unresolvable URI scheme '" + scheme + "'");
          }
        }
      } else if (!method.is_object()) {
        Add(method_at, "verificationMethod must be a URI");
      }
    }
  }

  // --- value helpers ---

  void Type(const json& object, const std::string& at, std::string_view expected) {
    const std::string type_at = At(at, "type");
    if (!object.contains("type")) {
      return Add(type_at, "type is required and must include " + std::string(expected));
    }
    if (!TypeIncludes(object["type"], expected)) {
      Add(type_at, "type must include " + std::string(expected));
    }
  }

  void Uri(const json& value, const std::string& at) {
    if (!IsUri(value)) Add(at, "must be a URI");
  }

  void RequiredUri(const json& object, const std::string& at, const char* key) {
    if (!object.contains(key)) return Add(At(at, key), std::string(key) + " is required");
    Uri(object[key], At(at, key));
  }

  void RequiredString(const json& object, const std::string& at, const char* key) {
    if (!object.contains(key)) return Add(At(at, key), std::string(key) + " is required");
    if (!object[key].is_string()) Add(At(at, key), std::string(key) + " must be a string");
  }

  void OptionalString(const json& object, const std::string& at, const char* key) {
    if (object.contains(key) && !object[key].is_string()) {
      Add(At(at, key), std::string(key) + " must be a string");
    }
  }

  std::optional<std::chrono::sys_seconds> DateTime(const json& value, const std::string& at) {
    std::optional<std::chrono::sys_seconds> parsed;
    if (value.is_string()) parsed = ParseCredentialDateTime(value.get_ref<const std::string&>());
    if (!parsed) Add(at, "must be a date-time with a time zone (e.g. 2024-01-01T00:00:00Z)");
    return parsed;
  }

  void OptionalDateTime(const json& object, const std::string& at, const char* key) {
    if (object.contains(key)) DateTime(object[key], At(at, key));
  }

  // Properties of multiplicity 0..* may hold one object or an array of them.
  void Each(const json& object, const std::string& at, const char* key,
            const std::function<void(const json&, const std::string&)>& check) {
    if (!object.contains(key)) return;
    const json& value = object[key];
    const std::string value_at = At(at, key);
    if (!value.is_array()) return check(value, value_at);
    for (std::size_t i = 0; i < value.size(); ++i) check(value[i], At(value_at, i));
  }

  const StructureOptions& options_;
  std::vector<StructureFinding> findings_;
};

}  // namespace

std::optional<std::chrono::sys_seconds> ParseCredentialDateTime(const std::string& text) {
  using namespace std::chrono;
  // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't') ||
      text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  const int y = Digits(text, 0, 4), mo = Digits(text, 5, 2), d = Digits(text, 8, 2);
  const int h = Digits(text, 11, 2), mi = Digits(text, 14, 2), s = Digits(text, 17, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0) return std::nullopt;
  const year_month_day date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!date.ok() || h > 23 || mi > 59 || s > 60) return std::nullopt;
  std::size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const std::size_t digits_begin = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == digits_begin) return std::nullopt;
  }
  int offset_minutes = 0;
  if (pos + 1 == text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    // UTC
  } else if (pos + 6 == text.size() && (text[pos] == '+' || text[pos] == '-') &&
             text[pos + 3] == ':') {
    const int oh = Digits(text, pos + 1, 2), om = Digits(text, pos + 4, 2);
    if (oh < 0 || om < 0 || oh > 23 || om > 59) return std::nullopt;
    offset_minutes = (oh * 60 + om) * (text[pos] == '+' ? 1 : -1);
  } else {
    return std::nullopt;
  }
  return sys_days{date} + hours{h} + minutes{mi} + seconds{std::min(s, 59)} -
         minutes{offset_minutes};
}

std::vector<StructureFinding> CheckCredentialStructure(const nlohmann::json& credential,
                                                       const StructureOptions& options) {
  Checker checker(options);
  checker.Credential(credential, "", 0);
  return checker.Take();
}

}  // namespace cairn::credentials
