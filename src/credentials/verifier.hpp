#pragma once
// Open Badges 3.0 verification (OB 3.0 §8 "Verification and Validation", VC 2.0 §7): one report
// with an outcome for each check, never an exception. A check Cairn cannot perform (a proof type
// or status method it does not implement) is "unsupported", which is not a failure.
#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "credentials/fetcher.hpp"

namespace cairn::credentials::verification {

enum class Outcome { kPassed, kFailed, kSkipped, kUnsupported };

std::string_view OutcomeName(Outcome outcome);  // "passed", "failed", "skipped", "unsupported"

// Check ids, in report order.
inline constexpr std::string_view kFormatCheck = "format";
inline constexpr std::string_view kStructureCheck = "structure";
inline constexpr std::string_view kProofCheck = "proof";
inline constexpr std::string_view kIssuerKeyCheck = "issuer_key";
inline constexpr std::string_view kValidityCheck = "validity";
inline constexpr std::string_view kStatusCheck = "status";
inline constexpr std::string_view kRecipientCheck = "recipient";

struct Check {
  std::string id;
  Outcome outcome = Outcome::kSkipped;
  std::string message;
};

// kVerified: no check failed, and the proof and the issuer's key both passed. kFailed: some
// check failed. kIncomplete: nothing failed, but Cairn could not verify the proof (an unsupported
// proof type), so the credential is neither confirmed nor shown to be forged.
enum class Verdict { kVerified, kFailed, kIncomplete };

std::string_view VerdictName(Verdict verdict);  // "verified", "failed", "incomplete"

struct VerificationReport {
  Verdict verdict = Verdict::kFailed;
  bool verified = false;  // verdict == kVerified
  std::vector<Check> checks;
  std::optional<nlohmann::json> credential;  // as extracted, when it parsed

  const Check* Find(std::string_view id) const;
  // {"verified", "verdict", "checks": [{"id", "outcome", "message"}]}; messages are valid UTF-8.
  nlohmann::json ToJson() const;
};

// Named like data_integrity.hpp's VerifyOptions (proof purpose only); this namespace keeps them
// apart.
struct VerifyOptions {
  std::chrono::sys_seconds now;  // from the injected Clock; validity is judged against it
  // Retrieves controller documents and status lists. Without one, only did:key methods resolve
  // and status lists cannot be checked.
  DocumentFetcher* fetcher = nullptr;
  // When set, the credential subject's email IdentityObject must match it.
  std::optional<std::string> recipient_email;
};

// `bytes` is a credential as JSON, a compact JWS, or a baked PNG or SVG. Never throws.
VerificationReport Verify(std::string_view bytes, const VerifyOptions& options);
VerificationReport VerifyCredential(const nlohmann::json& credential, const VerifyOptions& options);

// The identityHash forms OB 3.0 allows for an email: "sha256$" + hex(sha256(email + salt)),
// "md5$" + hex(md5(email + salt)), or the plaintext when "hashed" is false.
bool EmailMatchesIdentity(const std::string& email, const nlohmann::json& identity_object);

}  // namespace cairn::credentials::verification
