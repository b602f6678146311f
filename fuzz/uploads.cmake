# The tus header parsers and HTTP Range: pure code, compiled straight into the fuzzer.
cairn_add_fuzzer(uploads_tus_headers_fuzz
  SOURCES uploads_tus_headers_fuzz.cpp ${PROJECT_SOURCE_DIR}/src/app/uploads/tus_headers.cpp)
target_include_directories(uploads_tus_headers_fuzz PRIVATE ${PROJECT_SOURCE_DIR}/src)
