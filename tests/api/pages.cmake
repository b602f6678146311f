cairn_add_test(NAME pages_http_test
  SOURCES pages_http_test.cpp
  DEPS cairn_http cairn_app cairn_credentials)
cairn_add_test(NAME pages_api_test
  SOURCES pages_api_test.cpp ${PROJECT_SOURCE_DIR}/tests/http/test_client.cpp
  DEPS cairn_http cairn_app cairn_storage cairn_credentials
  LABELS db)
