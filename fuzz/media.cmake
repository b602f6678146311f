# The media library's parsers (helper U2): image metadata strippers, zip and PDF readers.
cairn_add_fuzzer(media_strip_fuzz SOURCES media_strip_fuzz.cpp DEPS cairn_blobs_media)
cairn_add_fuzzer(media_metadata_fuzz SOURCES media_metadata_fuzz.cpp DEPS cairn_blobs_media)
