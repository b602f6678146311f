// The tus header parsers and the Range parser on arbitrary bytes. Input: the first byte picks the
// parser, the rest is the header value. Checks the parsers' promises, not just "no crash".
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "app/uploads/tus_headers.hpp"
#include "http/range.hpp"

namespace up = cairn::app::uploads;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 5) {
    case 0: {
      auto n = up::ParseTusInteger(text);
      if (n && (*n < 0 || std::to_string(*n).size() > text.size())) std::abort();
      break;
    }
    case 1: {
      auto md = up::ParseUploadMetadata(text);
      if (md && md->size() > 64) std::abort();
      break;
    }
    case 2: {
      std::string name = up::SanitizeFilename(text);
      if (name.empty() || name.size() > 200) std::abort();
      if (name.find('/') != std::string::npos || name.find('\\') != std::string::npos) std::abort();
      for (unsigned char c : name)
        if (c < 0x20 || c == 0x7F) std::abort();
      if (name == "." || name == "..") std::abort();
      break;
    }
    case 3:
      (void)up::MediaTypeBase(text);
      break;
    default: {
      // The size comes from the input too, so ranges meet every kind of file length.
      std::uint64_t file_size =
          text.size() >= 2 ? (static_cast<std::uint64_t>(data[1]) << 8 | data[2 % size]) : 0;
      cairn::http::ByteRange range;
      if (cairn::http::ParseRange(text, file_size, range) ==
          cairn::http::RangeResult::kSatisfiable) {
        if (range.first > range.last || range.last >= file_size) std::abort();
      }
      break;
    }
  }
  return 0;
}
