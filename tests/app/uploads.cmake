cairn_add_test(NAME uploads_unit_test
  SOURCES uploads/tus_headers_test.cpp uploads/blob_store_test.cpp uploads/range_test.cpp
  DEPS cairn_app cairn_blobs)
