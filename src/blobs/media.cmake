# The media library (sniffing, image metadata stripping, author metadata, ffprobe/ffmpeg) as its
# own small library inside the blobs module: it needs only core, so its tests and fuzz targets do
# not pull in the application layer that the evidence store implements. cairn_blobs links it.
cairn_add_module(NAME blobs_media
  SOURCES sniff.cpp sanitize.cpp metadata.cpp transcode.cpp
  DEPS PkgConfig::MAGIC ZLIB::ZLIB nlohmann_json::nlohmann_json
  PUBLIC_DEPS cairn_core)
list(APPEND BLOBS_DEPS cairn_blobs_media)
