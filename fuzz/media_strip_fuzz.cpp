// The image metadata strippers on arbitrary bytes, as each of JPEG, PNG, WebP and HEIF. Besides never
// crashing, stripping must be idempotent: a stripped image has nothing left to strip and comes
// through a second pass unchanged.
#include <cstdint>
#include <string>
#include <string_view>

#include "blobs/media.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  for (std::string_view type : {"image/jpeg", "image/png", "image/webp", "image/heic"}) {
    std::string once;
    auto first = cairn::blobs::StripImageMetadataBytes(in, once, type);
    if (!first.ok()) continue;
    std::string twice;
    auto second = cairn::blobs::StripImageMetadataBytes(once, twice, type);
    if (!second.ok() || !second->removed.empty() || twice != once) __builtin_trap();
  }
  return 0;
}
