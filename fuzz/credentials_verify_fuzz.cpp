// Verify on arbitrary bytes: extraction, parsing, the structure check, proofs, status entries and
// recipient matching. Nothing is fetched (every fetch fails), so each run is deterministic. Any
// exception escaping Verify, or a report that breaks its own rules, is a bug.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "credentials/fetcher.hpp"
#include "credentials/verifier.hpp"

namespace {

class FailingFetcher : public cairn::credentials::DocumentFetcher {
 public:
  cairn::credentials::FetchResult Fetch(const std::string&) override {
    return cairn::credentials::FetchResult::Failure("offline");
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace v = cairn::credentials::verification;
  static FailingFetcher fetcher;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  v::VerifyOptions options;
  options.now = std::chrono::sys_seconds(std::chrono::seconds(1767225600));  // 2026-01-01
  options.fetcher = &fetcher;
  options.recipient_email = "ada@example.org";
  v::VerificationReport report;
  try {
    report = v::Verify(bytes, options);
  } catch (...) {
    __builtin_trap();
  }
  if (report.checks.size() != 7) __builtin_trap();
  const v::Check* proof = report.Find(v::kProofCheck);
  if (report.verified && (!proof || proof->outcome != v::Outcome::kPassed)) __builtin_trap();
  (void)report.ToJson().dump();
  return 0;
}
