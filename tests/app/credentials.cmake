# Credentials use cases over the real pieces: SQLite through SqlUnitOfWork, the credential engine
# through platform's signer adapter, and verification by the engine's verifier.
cairn_add_test(NAME credentials_app_test
  SOURCES credentials/fixture.cpp credentials/credentials_test.cpp
  DEPS cairn_app cairn_storage cairn_platform cairn_credentials nlohmann_json::nlohmann_json)
target_include_directories(credentials_app_test PRIVATE ${PROJECT_SOURCE_DIR}/tests
  ${PROJECT_SOURCE_DIR}/tests/app)
