# Identity over HTTP: a real Server on port 0, SQLite, Argon2id and SmtpMailer sending to a real
# SMTP server started by the test.
cairn_add_test(NAME identity_api_test
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/identity_api_test.cpp
          ${PROJECT_SOURCE_DIR}/tests/support/smtp_sink.cpp
          ${PROJECT_SOURCE_DIR}/tests/http/test_client.cpp
  DEPS cairn_http cairn_app cairn_jobs cairn_storage cairn_mail spdlog::spdlog nlohmann_json::nlohmann_json
  LABELS smtp)
target_include_directories(identity_api_test PRIVATE ${PROJECT_SOURCE_DIR}/tests
                                                     ${PROJECT_SOURCE_DIR}/tests/http)
