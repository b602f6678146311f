#include "credentials/verifier.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "credentials/baking.hpp"
#include "credentials/controller_resolution.hpp"
#include "credentials/data_integrity.hpp"
#include "credentials/digest.hpp"
#include "credentials/error.hpp"
#include "credentials/ob_structure.hpp"
#include "credentials/status_list.hpp"

namespace cairn::credentials::verification {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxStatusEntries = 16;
constexpr std::size_t kMaxReportedFindings = 5;

constexpr std::size_t kMaxMessageBytes = 600;

// Length of the valid UTF-8 sequence at text[i], or 0 if there is none.
std::size_t Utf8SequenceLength(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t length = lead >= 0xC2 && lead <= 0xDF   ? 2
                       : lead >= 0xE0 && lead <= 0xEF ? 3
                       : lead >= 0xF0 && lead <= 0xF4 ? 4
                                                      : 0;
  if (length == 0 || i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  if (lead == 0xE0 && byte(i + 1) < 0xA0) return 0;  // overlong
  if (lead == 0xED && byte(i + 1) > 0x9F) return 0;  // surrogate
  if (lead == 0xF0 && byte(i + 1) < 0x90) return 0;  // overlong
  if (lead == 0xF4 && byte(i + 1) > 0x8F) return 0;  // beyond U+10FFFF
  return length;
}

// Messages quote the input (parser errors, ids, URLs), which may be cut mid-character or be
// huge; the report must still serialize as JSON and stay readable.
std::string CleanMessage(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (out.size() >= kMaxMessageBytes) {
      out += "…";
      break;
    }
    const std::size_t length = Utf8SequenceLength(text, i);
    if (length == 0) {
      out += "\uFFFD";
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

Check Make(std::string_view id, Outcome outcome, std::string message) {
  return {std::string(id), outcome, CleanMessage(message)};
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string Trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

bool HasType(const json& node, std::string_view type) {
  if (!node.is_object()) return false;
  const auto it = node.find("type");
  if (it == node.end()) return false;
  if (it->is_string()) return it->get_ref<const std::string&>() == type;
  if (!it->is_array()) return false;
  return std::any_of(it->begin(), it->end(), [&](const json& t) { return t == json(type); });
}

std::optional<std::string> IssuerId(const json& credential) {
  const auto it = credential.find("issuer");
  if (it == credential.end()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_object() && it->contains("id") && (*it)["id"].is_string()) {
    return (*it)["id"].get<std::string>();
  }
  return std::nullopt;
}

std::string Base64UrlDecode(std::string_view in) {
  std::string out;
  unsigned value = 0;
  int bits = 0;
  for (char c : in) {
    int v = -1;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      v = c - '0' + 52;
    else if (c == '-')
      v = 62;
    else if (c == '_')
      v = 63;
    else if (c == '=')
      break;
    else
      throw CredentialError("the JWS payload is not base64url");
    value = (value << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((value >> bits) & 0xFF));
    }
  }
  return out;
}

// A VC-JWT (VC 1.1) carries the credential in its "vc" claim; VC-JOSE (VC 2.0) is the payload.
json CredentialFromJws(const std::string& jws) {
  const auto first = jws.find('.');
  const auto second = jws.find('.', first + 1);
  json payload = ParseUntrustedJson(Base64UrlDecode(jws.substr(first + 1, second - first - 1)));
  if (payload.is_object() && payload.contains("vc") && payload["vc"].is_object()) {
    return payload["vc"];
  }
  return payload;
}

// Remembers how each verification method resolved, for the issuer_key check.
struct Resolution {
  std::string controller;  // empty when it failed
  std::string error;
};

class RecordingResolver {
 public:
  explicit RecordingResolver(MethodResolver& resolver) : resolver_(resolver) {}

  KeyResolver AsKeyResolver() {
    return [this](std::string_view method) -> std::optional<ed25519::PublicKey> {
      try {
        ResolvedMethod resolved = resolver_.Resolve(method, "assertionMethod");
        records_[std::string(method)] = {resolved.controller, {}};
        return resolved.key;
      } catch (const std::exception& e) {
        records_[std::string(method)] = {{}, e.what()};
        throw CredentialError(e.what());
      }
    };
  }
  const std::map<std::string, Resolution>& records() const { return records_; }

 private:
  MethodResolver& resolver_;
  std::map<std::string, Resolution> records_;
};

Check ProofOutcome(const json& document, const ProofCheck& check) {
  if (!document.contains("proof"))
    return Make(kProofCheck, Outcome::kFailed, "the credential has no proof");
  switch (check.status) {
    case ProofStatus::kVerified:
      return Make(kProofCheck, Outcome::kPassed,
                  std::string(check.suite ? CryptosuiteName(*check.suite) : "proof") +
                      " signature verified with " + check.verification_method);
    case ProofStatus::kUnsupported:
      return Make(kProofCheck, Outcome::kUnsupported, check.error);
    case ProofStatus::kBadSignature:
      return Make(kProofCheck, Outcome::kFailed, "the signature does not match: " + check.error);
    case ProofStatus::kUnknownKey:
      return Make(kProofCheck, Outcome::kFailed,
                  "the verification method could not be resolved: " + check.error);
    case ProofStatus::kMalformed:
      break;
  }
  return Make(kProofCheck, Outcome::kFailed, check.error);
}

// Every resolved method must belong to the issuer: a valid signature by someone else's key
// proves nothing about who issued the credential.
Check IssuerKeyOutcome(const std::optional<std::string>& issuer,
                       const std::map<std::string, Resolution>& records, const Check& proof) {
  if (records.empty()) {
    return Make(kIssuerKeyCheck, Outcome::kSkipped,
                proof.outcome == Outcome::kUnsupported
                    ? "no proof of a type Cairn verifies names a verification method"
                    : "no verification method was resolved");
  }
  if (!issuer) return Make(kIssuerKeyCheck, Outcome::kFailed, "the credential names no issuer id");
  for (const auto& [method, resolution] : records) {
    if (!resolution.error.empty()) return Make(kIssuerKeyCheck, Outcome::kFailed, resolution.error);
    if (resolution.controller != *issuer) {
      return Make(kIssuerKeyCheck, Outcome::kFailed,
                  "verification method " + method + " is controlled by " + resolution.controller +
                      ", not by the issuer " + *issuer);
    }
  }
  return Make(kIssuerKeyCheck, Outcome::kPassed,
              "the signing key is an assertionMethod of the issuer " + *issuer);
}

// Empty when the credential is within its validity period; otherwise why not.
std::optional<std::string> ValidityProblem(const json& credential, std::chrono::sys_seconds now,
                                           std::string* summary) {
  std::string text;
  for (const char* field : {"validFrom", "issuanceDate"}) {
    if (!credential.contains(field)) continue;
    const json& value = credential[field];
    const auto at =
        value.is_string() ? ParseCredentialDateTime(value.get<std::string>()) : std::nullopt;
    if (!at) return std::string(field) + " is not a date-time with a time zone";
    if (now < *at) return "not valid before " + value.get<std::string>() + " (" + field + ")";
    text += std::string(field) + " " + value.get<std::string>() + "; ";
  }
  for (const char* field : {"validUntil", "expirationDate"}) {
    if (!credential.contains(field)) continue;
    const json& value = credential[field];
    const auto at =
        value.is_string() ? ParseCredentialDateTime(value.get<std::string>()) : std::nullopt;
    if (!at) return std::string(field) + " is not a date-time with a time zone";
    if (now > *at) return "expired on " + value.get<std::string>() + " (" + field + ")";
    text += std::string(field) + " " + value.get<std::string>() + "; ";
  }
  if (summary)
    *summary =
        text.empty() ? "no validity period is stated" : "within " + text.substr(0, text.size() - 2);
  return std::nullopt;
}

Check ValidityOutcome(const json& credential, std::chrono::sys_seconds now) {
  std::string summary;
  if (auto problem = ValidityProblem(credential, now, &summary)) {
    return Make(kValidityCheck, Outcome::kFailed, *problem);
  }
  return Make(kValidityCheck, Outcome::kPassed, summary);
}

std::optional<std::uint64_t> NonNegativeInteger(const json& value) {
  if (value.is_number_unsigned()) return value.get<std::uint64_t>();
  if (value.is_number_integer() && value.get<std::int64_t>() >= 0)
    return value.get<std::uint64_t>();
  if (!value.is_string()) return std::nullopt;
  const auto& text = value.get_ref<const std::string&>();
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::uint64_t n = 0;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return n;
}

// One BitstringStatusListEntry (or its predecessor StatusList2021Entry): fetch the list, check
// that the credential's own issuer signed it, and read the entry's bits.
Check CheckBitstringEntry(const json& entry, const std::optional<std::string>& issuer,
                          const VerifyOptions& options, MethodResolver& resolver) {
  const auto fail = [](std::string why) {
    return Make(kStatusCheck, Outcome::kFailed, std::move(why));
  };
  const auto purpose_it = entry.find("statusPurpose");
  const auto url_it = entry.find("statusListCredential");
  const auto parsed_index = entry.contains("statusListIndex")
                                ? NonNegativeInteger(entry["statusListIndex"])
                                : std::nullopt;
  if (purpose_it == entry.end() || !purpose_it->is_string())
    return fail("the status entry has no statusPurpose");
  if (url_it == entry.end() || !url_it->is_string())
    return fail("the status entry has no statusListCredential URL");
  if (!parsed_index) return fail("statusListIndex must be a non-negative integer");
  const std::uint64_t index = *parsed_index;
  std::uint64_t status_size = 1;
  if (entry.contains("statusSize")) {
    const auto size = NonNegativeInteger(entry["statusSize"]);
    if (!size || *size < 1 || *size > 8) return fail("statusSize must be 1 to 8");
    status_size = *size;
  }
  const std::string purpose = purpose_it->get<std::string>();
  const std::string url = url_it->get<std::string>();
  if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0) {
    return fail("statusListCredential is not an http(s) URL: " + url);
  }
  if (!options.fetcher) return fail("the status list " + url + " cannot be retrieved: no fetcher");
  const FetchResult fetched = options.fetcher->Fetch(url);
  if (!fetched.ok())
    return fail("could not retrieve the status list " + url + ": " + fetched.error);
  if (fetched.document->status < 200 || fetched.document->status >= 300) {
    return fail("retrieving the status list " + url + " returned HTTP " +
                std::to_string(fetched.document->status));
  }
  json list;
  try {
    list = ParseUntrustedJson(fetched.document->body);
  } catch (const CredentialError& e) {
    return fail("the status list " + url + ": " + e.what());
  }
  if (!list.is_object()) return fail("the status list " + url + " is not a JSON object");

  RecordingResolver recorder(resolver);
  const ProofCheck proof = VerifyProof(list, recorder.AsKeyResolver());
  if (proof.status == ProofStatus::kUnsupported) {
    return Make(kStatusCheck, Outcome::kUnsupported,
                "the status list is secured by a proof Cairn does not verify: " + proof.error);
  }
  if (!proof.verified) return fail("the status list's proof does not verify: " + proof.error);
  const auto list_issuer = IssuerId(list);
  if (!list_issuer || !issuer || *list_issuer != *issuer) {
    return fail("the status list was issued by " + list_issuer.value_or("(nobody)") +
                ", not by the credential's issuer " + issuer.value_or("(none)"));
  }
  for (const auto& [method, resolution] : recorder.records()) {
    if (resolution.controller != *list_issuer) {
      return fail("the status list is signed by " + method + ", which its issuer does not control");
    }
  }
  if (auto problem = ValidityProblem(list, options.now, nullptr))
    return fail("the status list is " + *problem);

  const json* subject = list.contains("credentialSubject") ? &list["credentialSubject"] : nullptr;
  if (!subject || !subject->is_object() ||
      !(HasType(*subject, "BitstringStatusList") || HasType(*subject, "StatusList2021"))) {
    return fail("the status list's credentialSubject is not a BitstringStatusList");
  }
  const json& list_purpose =
      subject->contains("statusPurpose") ? (*subject)["statusPurpose"] : json();
  const bool purpose_listed =
      list_purpose == json(purpose) ||
      (list_purpose.is_array() &&
       std::find(list_purpose.begin(), list_purpose.end(), json(purpose)) != list_purpose.end());
  if (!purpose_listed)
    return fail("the status list's statusPurpose does not match the entry's \"" + purpose + "\"");
  if (!subject->contains("encodedList") || !(*subject)["encodedList"].is_string()) {
    return fail("the status list has no encodedList");
  }
  try {
    const auto bits = BitstringStatusList::Decode((*subject)["encodedList"].get<std::string>());
    if ((index + 1) * status_size > bits.size()) {
      return fail("statusListIndex " + std::to_string(index) + " is outside the status list");
    }
    const auto status = bits.GetStatus(index, status_size);
    if (purpose == "revocation" && status != 0) return fail("revoked");
    if (purpose == "suspension" && status != 0) return fail("suspended");
    return Make(kStatusCheck, Outcome::kPassed,
                purpose + " status " + std::to_string(status) + " at index " +
                    std::to_string(index) + " of " + url);
  } catch (const CredentialError& e) {
    return fail("the status list's encodedList: " + std::string(e.what()));
  }
}

Check StatusOutcome(const json& credential, const VerifyOptions& options,
                    MethodResolver& resolver) {
  const auto it = credential.find("credentialStatus");
  if (it == credential.end())
    return Make(kStatusCheck, Outcome::kSkipped, "the credential has no credentialStatus");
  std::vector<json> entries;
  if (it->is_array()) {
    if (it->size() > kMaxStatusEntries)
      return Make(kStatusCheck, Outcome::kFailed, "too many credentialStatus entries");
    entries.assign(it->begin(), it->end());
  } else {
    entries.push_back(*it);
  }
  if (entries.empty()) return Make(kStatusCheck, Outcome::kSkipped, "credentialStatus is empty");
  const auto issuer = IssuerId(credential);
  std::vector<Check> results;
  for (const json& entry : entries) {
    if (!entry.is_object()) {
      results.push_back(
          Make(kStatusCheck, Outcome::kFailed, "a credentialStatus entry is not an object"));
    } else if (HasType(entry, "BitstringStatusListEntry") ||
               HasType(entry, "StatusList2021Entry")) {
      results.push_back(CheckBitstringEntry(entry, issuer, options, resolver));
    } else {
      const std::string type = entry.contains("type") ? entry["type"].dump() : "(no type)";
      results.push_back(
          Make(kStatusCheck, Outcome::kUnsupported, "status method " + type + " is not supported"));
    }
  }
  for (Outcome wanted : {Outcome::kFailed, Outcome::kUnsupported}) {
    for (const Check& c : results) {
      if (c.outcome == wanted) return c;
    }
  }
  return results.front();
}

std::string DigestHexOf(const EVP_MD* md, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), out, &length, md, nullptr) != 1) return {};
  return ToHex(std::vector<std::uint8_t>(out, out + length));
}

std::vector<const json*> EmailIdentities(const json& credential) {
  std::vector<const json*> out;
  if (!credential.contains("credentialSubject")) return out;
  const json& subjects = credential["credentialSubject"];
  const auto collect = [&](const json& subject) {
    if (!subject.is_object() || !subject.contains("identifier")) return;
    const json& ids = subject["identifier"];
    const auto take = [&](const json& id) {
      if (id.is_object() && id.contains("identityType") && id["identityType"] == "emailAddress") {
        out.push_back(&id);
      }
    };
    if (ids.is_array()) {
      for (const json& id : ids) take(id);
    } else {
      take(ids);
    }
  };
  if (subjects.is_array()) {
    for (const json& s : subjects) collect(s);
  } else {
    collect(subjects);
  }
  return out;
}

Check RecipientOutcome(const json& credential, const VerifyOptions& options) {
  if (!options.recipient_email) {
    return Make(kRecipientCheck, Outcome::kSkipped, "no recipient email was given to compare");
  }
  const auto identities = EmailIdentities(credential);
  if (identities.empty()) {
    return Make(kRecipientCheck, Outcome::kFailed, "the credential names no email recipient");
  }
  for (const json* identity : identities) {
    if (EmailMatchesIdentity(*options.recipient_email, *identity)) {
      return Make(kRecipientCheck, Outcome::kPassed, "the recipient email matches");
    }
  }
  return Make(kRecipientCheck, Outcome::kFailed,
              "the credential was issued to a different email address");
}

template <class F>
Check Guarded(std::string_view id, F&& check) {
  try {
    return check();
  } catch (const std::exception& e) {
    return Make(id, Outcome::kFailed, std::string("could not be checked: ") + e.what());
  }
}

Outcome OutcomeOf(const VerificationReport& report, std::string_view id) {
  const Check* check = report.Find(id);
  return check ? check->outcome : Outcome::kSkipped;
}

VerificationReport Finish(VerificationReport report) {
  const bool any_failed = std::any_of(report.checks.begin(), report.checks.end(),
                                      [](const Check& c) { return c.outcome == Outcome::kFailed; });
  if (any_failed) {
    report.verdict = Verdict::kFailed;
  } else if (OutcomeOf(report, kProofCheck) == Outcome::kPassed &&
             OutcomeOf(report, kIssuerKeyCheck) == Outcome::kPassed) {
    report.verdict = Verdict::kVerified;
  } else {
    report.verdict = Verdict::kIncomplete;
  }
  report.verified = report.verdict == Verdict::kVerified;
  return report;
}

VerificationReport VerifyParsed(json credential, Check format, bool jws,
                                const VerifyOptions& options) {
  VerificationReport report;
  report.checks.push_back(std::move(format));
  report.checks.push_back(Guarded(kStructureCheck, [&] {
    const auto findings = CheckCredentialStructure(credential);
    if (findings.empty()) return Make(kStructureCheck, Outcome::kPassed, "the structure is valid");
    std::string text;
    for (std::size_t i = 0; i < findings.size() && i < kMaxReportedFindings; ++i) {
      text += (i ? "; " : "") + (findings[i].pointer.empty() ? "/" : findings[i].pointer) + ": " +
              findings[i].message;
    }
    if (findings.size() > kMaxReportedFindings) {
      text += "; and " + std::to_string(findings.size() - kMaxReportedFindings) + " more";
    }
    return Make(kStructureCheck, Outcome::kFailed, text);
  }));

  MethodResolver resolver(options.fetcher);
  if (jws) {
    report.checks.push_back(Make(kProofCheck, Outcome::kUnsupported,
                                 "VC-JWT / JOSE-secured credentials are not verified by Cairn"));
    report.checks.push_back(Make(kIssuerKeyCheck, Outcome::kSkipped, "no proof Cairn verifies"));
  } else {
    RecordingResolver recorder(resolver);
    const Check proof = Guarded(kProofCheck, [&] {
      return ProofOutcome(credential, VerifyProof(credential, recorder.AsKeyResolver()));
    });
    report.checks.push_back(proof);
    report.checks.push_back(Guarded(kIssuerKeyCheck, [&] {
      return IssuerKeyOutcome(IssuerId(credential), recorder.records(), proof);
    }));
  }
  report.checks.push_back(
      Guarded(kValidityCheck, [&] { return ValidityOutcome(credential, options.now); }));
  report.checks.push_back(
      Guarded(kStatusCheck, [&] { return StatusOutcome(credential, options, resolver); }));
  report.checks.push_back(
      Guarded(kRecipientCheck, [&] { return RecipientOutcome(credential, options); }));
  report.credential = std::move(credential);
  return Finish(std::move(report));
}

VerificationReport FormatFailure(std::string why) {
  VerificationReport report;
  report.checks.push_back(Make(kFormatCheck, Outcome::kFailed, std::move(why)));
  for (auto id : {kStructureCheck, kProofCheck, kIssuerKeyCheck, kValidityCheck, kStatusCheck,
                  kRecipientCheck}) {
    report.checks.push_back(Make(id, Outcome::kSkipped, "no credential to check"));
  }
  return Finish(std::move(report));
}

std::string_view FormatName(BadgeFormat format) {
  switch (format) {
    case BadgeFormat::kPng:
      return "a credential baked in a PNG image";
    case BadgeFormat::kSvg:
      return "a credential baked in an SVG image";
    case BadgeFormat::kJws:
      return "a compact JWS";
    case BadgeFormat::kJson:
      break;
  }
  return "a JSON credential";
}

}  // namespace

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPassed:
      return "passed";
    case Outcome::kFailed:
      return "failed";
    case Outcome::kSkipped:
      return "skipped";
    case Outcome::kUnsupported:
      return "unsupported";
  }
  return "failed";
}

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kVerified:
      return "verified";
    case Verdict::kIncomplete:
      return "incomplete";
    case Verdict::kFailed:
      break;
  }
  return "failed";
}

const Check* VerificationReport::Find(std::string_view id) const {
  for (const Check& c : checks) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

json VerificationReport::ToJson() const {
  json out = {{"verified", verified}, {"verdict", VerdictName(verdict)}, {"checks", json::array()}};
  for (const Check& c : checks) {
    out["checks"].push_back(
        {{"id", c.id}, {"outcome", OutcomeName(c.outcome)}, {"message", c.message}});
  }
  return out;
}

bool EmailMatchesIdentity(const std::string& email, const json& identity) {
  if (!identity.is_object() || !identity.contains("identityHash") ||
      !identity["identityHash"].is_string()) {
    return false;
  }
  const std::string claimed = identity["identityHash"].get<std::string>();
  const std::string salt = identity.contains("salt") && identity["salt"].is_string()
                               ? identity["salt"].get<std::string>()
                               : std::string();
  const bool hashed = identity.contains("hashed") && identity["hashed"].is_boolean()
                          ? identity["hashed"].get<bool>()
                          : claimed.rfind("sha256$", 0) == 0 || claimed.rfind("md5$", 0) == 0;
  // The address as typed, and as most issuers normalize it before hashing.
  std::vector<std::string> candidates = {email};
  if (const std::string normal = Lower(Trim(email)); normal != email) candidates.push_back(normal);
  if (!hashed) {
    return std::any_of(candidates.begin(), candidates.end(),
                       [&](const std::string& c) { return Lower(Trim(claimed)) == Lower(c); });
  }
  const auto dollar = claimed.find('$');
  if (dollar == std::string::npos) return false;
  const std::string algorithm = Lower(claimed.substr(0, dollar));
  const std::string expected = Lower(claimed.substr(dollar + 1));
  const EVP_MD* md = algorithm == "sha256" ? EVP_sha256()
                     : algorithm == "md5"  ? EVP_md5()
                                           : nullptr;
  if (!md || expected.empty()) return false;
  return std::any_of(candidates.begin(), candidates.end(),
                     [&](const std::string& c) { return DigestHexOf(md, c + salt) == expected; });
}

VerificationReport VerifyCredential(const json& credential, const VerifyOptions& options) {
  try {
    if (!credential.is_object()) return FormatFailure("the credential is not a JSON object");
    return VerifyParsed(credential, Make(kFormatCheck, Outcome::kPassed, "a JSON credential"),
                        false, options);
  } catch (const std::exception& e) {
    return FormatFailure(std::string("verification stopped: ") + e.what());
  }
}

VerificationReport Verify(std::string_view bytes, const VerifyOptions& options) {
  try {
    ExtractedCredential extracted;
    json credential;
    try {
      extracted = Extract(bytes);
      credential = extracted.format == BadgeFormat::kJws ? CredentialFromJws(extracted.credential)
                                                         : ParseUntrustedJson(extracted.credential);
    } catch (const CredentialError& e) {
      return FormatFailure(e.what());
    }
    if (!credential.is_object()) return FormatFailure("the credential is not a JSON object");
    return VerifyParsed(
        std::move(credential),
        Make(kFormatCheck, Outcome::kPassed, std::string(FormatName(extracted.format))),
        extracted.format == BadgeFormat::kJws, options);
  } catch (const std::exception& e) {
    return FormatFailure(std::string("verification stopped: ") + e.what());
  }
}

}  // namespace cairn::credentials::verification
