#include "http/handlers/page_verification.hpp"

#include <chrono>

namespace cairn::http {
namespace {

namespace verify = credentials::verification;
using app::pages::LiveCheck;
using app::pages::LiveStatus;

std::string TextAt(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

credentials::FetchResult LocalDocumentFetcher::Fetch(const std::string& url) {
  if (public_url_.empty() || !url.starts_with(public_url_ + "/")) return outside_.Fetch(url);
  std::string target = url.substr(public_url_.size());
  const auto fragment = target.find('#');
  if (fragment != std::string::npos) target.resize(fragment);
  const auto query_start = target.find('?');
  const std::string raw_path = target.substr(0, query_start);
  const RouteMatch match = router_.Match("GET", raw_path);
  // Only public documents: nothing a signed-out visitor could not fetch over HTTP.
  if (match.status != 200 || !match.route || match.route->policy != "public")
    return credentials::FetchResult::Success({404, "application/problem+json", ""});
  Request request;
  request.method = "GET";
  request.target = target;
  request.path = PercentDecode(raw_path).value_or(raw_path);
  request.params = match.params;
  request.headers.Set("Accept", "application/json, application/ld+json");
  request.request_id = "local-fetch";
  try {
    Response response = match.route->handler(request);
    if (!response.file_path.empty())
      return credentials::FetchResult::Failure("a local document is a file; fetch it over HTTP");
    return credentials::FetchResult::Success(
        {response.status, response.headers.Get("Content-Type").value_or(""), std::move(response.body)});
  } catch (const std::exception& e) {
    return credentials::FetchResult::Failure(std::string("local document failed: ") + e.what());
  }
}

LiveCheck LiveCheckFromReport(const verify::VerificationReport& report, std::chrono::sys_seconds now) {
  if (report.verdict == verify::Verdict::kVerified)
    return {LiveStatus::kValid, "Its signature, issuer key, validity dates and revocation status were checked moments ago."};
  const verify::Check* status = report.Find(verify::kStatusCheck);
  // Only a set bit is a revocation; an unreachable or broken list is a failed check, not a verdict.
  if (status && status->outcome == verify::Outcome::kFailed &&
      (status->message.ends_with("revoked") || status->message.ends_with("suspended")))
    return {LiveStatus::kRevoked, "The issuer's status list marks this credential " + status->message + "."};
  const verify::Check* validity = report.Find(verify::kValidityCheck);
  if (validity && validity->outcome == verify::Outcome::kFailed) {
    core::TimePoint from{};
    const std::string valid_from = report.credential ? TextAt(*report.credential, "validFrom") : std::string();
    if (!valid_from.empty() && core::ParseTime(valid_from, from) && now < from)
      return {LiveStatus::kNotYetValid, validity->message};
    return {LiveStatus::kExpired, validity->message};
  }
  for (const auto& check : report.checks)
    if (check.outcome == verify::Outcome::kFailed)
      return {LiveStatus::kInvalid, "The " + check.id + " check failed: " + check.message + "."};
  return {LiveStatus::kInvalid, "the signature could not be checked"};
}

app::pages::LiveVerifier MakeLiveVerifier(credentials::DocumentFetcher& fetcher, const core::Clock& clock) {
  return [&fetcher, &clock](const std::string& signed_json) {
    const auto now = std::chrono::floor<std::chrono::seconds>(clock.Now());
    const verify::VerifyOptions options{.now = now, .fetcher = &fetcher, .recipient_email = std::nullopt};
    return LiveCheckFromReport(verify::Verify(signed_json, options), now);
  };
}

app::pages::VerifyPage VerifyPageFromReport(const verify::VerificationReport& report) {
  app::pages::VerifyPage page;
  page.has_report = true;
  page.verdict = std::string(verify::VerdictName(report.verdict));
  if (report.credential && report.credential->is_object()) {
    const auto& credential = *report.credential;
    auto subject = credential.find("credentialSubject");
    if (subject != credential.end() && subject->is_object()) {
      auto achievement = subject->find("achievement");
      if (achievement != subject->end()) page.achievement_name = TextAt(*achievement, "name");
    }
    auto issuer = credential.find("issuer");
    if (issuer != credential.end()) {
      page.issuer_name = issuer->is_string() ? issuer->get<std::string>() : TextAt(*issuer, "name");
      if (page.issuer_name.empty()) page.issuer_name = TextAt(*issuer, "id");
    }
  }
  for (const auto& check : report.checks)
    page.checks.push_back({check.id, "", std::string(verify::OutcomeName(check.outcome)), check.message});
  return page;
}

}  // namespace cairn::http
