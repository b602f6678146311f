#pragma once
// The image metadata strippers, one per format, over a ByteSource and a Sink so the path and the
// in-memory entry points (tests, fuzzing) share every line of parsing.
#include <cstdio>
#include <string>
#include <string_view>

#include "blobs/media.hpp"
#include "blobs/metadata.hpp"

namespace cairn::blobs {

class Sink {
 public:
  explicit Sink(std::string& out) : buffer_(&out) {}
  explicit Sink(std::FILE* file) : file_(file) {}
  bool Write(std::string_view bytes);
  bool ok() const { return ok_; }

 private:
  std::string* buffer_ = nullptr;
  std::FILE* file_ = nullptr;
  bool ok_ = true;
};

core::Result<StripReport> StripJpeg(ByteSource& in, Sink& out);
core::Result<StripReport> StripPng(ByteSource& in, Sink& out);
core::Result<StripReport> StripWebp(ByteSource& in, Sink& out);
core::Result<StripReport> StripHeif(ByteSource& in, Sink& out);

// True when a TIFF/EXIF block (starting at the byte-order mark) has a GPS IFD pointer in IFD0.
bool ExifHasGps(std::string_view tiff);

}  // namespace cairn::blobs
