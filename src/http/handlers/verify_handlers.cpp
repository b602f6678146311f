#include "http/handlers/verify_handlers.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "credentials/verifier.hpp"

namespace cairn::http {
namespace {

namespace verify = credentials::verification;

// The forms the engine reads. The type only gates the request: the engine detects the form from
// the bytes, so a mislabelled PNG still verifies rather than failing on a guess.
constexpr std::array<std::string_view, 8> kAcceptedTypes = {
    "application/json",   "application/ld+json", "application/vc+ld+json", "application/vc",
    "application/vc+jwt", "image/png",           "image/svg+xml",          "text/plain"};

// The media type without parameters (charset, profile), lowercased.
std::string MediaType(std::string_view header) {
  std::string_view type = header.substr(0, header.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  std::string lower(type);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

std::string AcceptedList() {
  std::string list;
  for (const auto type : kAcceptedTypes) {
    if (!list.empty()) list += ", ";
    list += type;
  }
  return list;
}

}  // namespace

void RegisterVerifyRoutes(Router& router, const VerifyHandlerDeps& deps) {
  router.Add({"POST", "/api/v1/verify",
              [deps](Request& req) {
                const std::string type = MediaType(req.headers.Get("Content-Type").value_or(""));
                if (std::find(kAcceptedTypes.begin(), kAcceptedTypes.end(), type) ==
                    kAcceptedTypes.end()) {
                  const std::string sent = type.empty() ? "a Content-Type is required"
                                                        : "Content-Type " + type + " is not accepted";
                  return ProblemResponse(
                      core::Error{core::ErrorCode::kUnsupportedMedia,
                                  sent + "; send the credential as one of: " + AcceptedList(),
                                  {},
                                  {}});
                }
                std::optional<std::string> email = req.Query("recipient_email");
                if (email && email->empty()) email.reset();
                const verify::VerifyOptions options{
                    .now = std::chrono::floor<std::chrono::seconds>(deps.clock.Now()),
                    .fetcher = &deps.fetcher,
                    .recipient_email = std::move(email)};
                // A failed check is the answer, not an error: always 200 with the report.
                return JsonResponse(200, verify::Verify(req.body, options).ToJson());
              },
              "public", kMaxVerifyBody, "Verify an Open Badges 3.0 credential",
              /*blocking=*/true});
}

}  // namespace cairn::http
