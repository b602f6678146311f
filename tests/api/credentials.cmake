cairn_add_test(NAME credentials_api_test
  SOURCES credentials_api_test.cpp ${PROJECT_SOURCE_DIR}/tests/http/test_client.cpp
          ${PROJECT_SOURCE_DIR}/tests/app/credentials/fixture.cpp
  DEPS cairn_http cairn_app cairn_storage cairn_platform cairn_credentials
  LABELS db)
target_include_directories(credentials_api_test PRIVATE ${PROJECT_SOURCE_DIR}/tests
  ${PROJECT_SOURCE_DIR}/tests/app)
