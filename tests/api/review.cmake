cairn_add_test(NAME review_api_test
  SOURCES review_api_test.cpp ${PROJECT_SOURCE_DIR}/tests/http/test_client.cpp
  DEPS cairn_http cairn_app cairn_storage
  LABELS db)
