# The media library: sniffing, metadata stripping, author metadata, probing and transcoding. The
# fixtures are generated at test time with python3, ffmpeg and exiftool (real tools, no binaries
# committed).
cairn_add_test(NAME blobs_media_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/media_test.cpp ${CMAKE_CURRENT_LIST_DIR}/media_tools_test.cpp
  DEPS cairn_blobs_media nlohmann_json::nlohmann_json)
