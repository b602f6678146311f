# Identity use cases over the real pieces: SQLite through SqlUnitOfWork, Argon2id, and SmtpMailer
# delivering to a real SMTP server (hence the smtp label).
cairn_add_test(NAME identity_app_test
  SOURCES identity/fixture.cpp identity/accounts_test.cpp identity/sessions_test.cpp
          identity/organizations_test.cpp identity/policies_test.cpp
          ${PROJECT_SOURCE_DIR}/tests/support/smtp_sink.cpp
  DEPS cairn_app cairn_jobs cairn_storage cairn_mail nlohmann_json::nlohmann_json
  LABELS smtp)
target_include_directories(identity_app_test PRIVATE ${PROJECT_SOURCE_DIR}/tests)
