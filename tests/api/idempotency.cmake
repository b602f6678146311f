# Idempotency keys over HTTP: a real Server on port 0, the real middleware and the SQL store on
# a real SQLite file.
cairn_add_test(NAME idempotency_api_test
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/idempotency_api_test.cpp
          ${PROJECT_SOURCE_DIR}/tests/http/test_client.cpp
  DEPS cairn_http cairn_storage spdlog::spdlog nlohmann_json::nlohmann_json
  LABELS db)
