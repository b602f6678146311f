// Extract on arbitrary bytes: sniffing, the PNG chunk walker, the SVG scanner. Any outcome but a
// CredentialError or a result is a bug (ASan/UBSan report crashes, overflows and leaks).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "credentials/baking.hpp"
#include "credentials/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    const auto extracted = cairn::credentials::Extract(bytes);
    // Whatever came out must bake back into the same image and extract unchanged. (Baking may
    // refuse it: extraction does not require the text to be JSON.)
    namespace cc = cairn::credentials;
    std::optional<std::string> again;
    if (extracted.format == cc::BadgeFormat::kSvg) {
      again = cc::ExtractSvg(cc::BakeSvg(bytes, extracted.credential));
    } else if (extracted.format == cc::BadgeFormat::kPng) {
      again = cc::ExtractPng(cc::BakePng(bytes, extracted.credential));
    } else {
      again = extracted.credential;
    }
    if (!again || *again != extracted.credential) __builtin_trap();
  } catch (const cairn::credentials::CredentialError&) {
  }
  return 0;
}
