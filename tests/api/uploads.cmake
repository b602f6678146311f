cairn_add_test(NAME uploads_api_test
  SOURCES uploads_api_test.cpp ${PROJECT_SOURCE_DIR}/tests/http/test_client.cpp
  DEPS cairn_http cairn_app cairn_storage cairn_blobs OpenSSL::Crypto
  LABELS db)
