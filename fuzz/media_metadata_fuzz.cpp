// The zip and PDF readers behind the author-metadata warnings, and the zip sniffing of office
// documents, on arbitrary bytes: bounded time and memory, never a crash.
#include <cstdint>
#include <string>
#include <string_view>

#include "blobs/media.hpp"
#include "blobs/metadata.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  cairn::blobs::FindAuthorMetadataBytes(in, "application/pdf");
  cairn::blobs::FindAuthorMetadataBytes(
      in, "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  cairn::blobs::ByteSource src(in);
  cairn::blobs::OfficeTypeOfZip(src);
  if (auto entries = cairn::blobs::ListZipEntries(src)) {
    for (const auto& e : *entries) cairn::blobs::ReadZipEntry(src, e, 1 << 16);
  }
  return 0;
}
