# Notifications over the real pieces: SQLite through SqlUnitOfWork, the job worker, and SmtpMailer
# delivering "email.send" jobs to a real SMTP server (hence the smtp label).
cairn_add_test(NAME notify_app_test
  SOURCES notify/notify_test.cpp ${PROJECT_SOURCE_DIR}/tests/support/smtp_sink.cpp
  DEPS cairn_app cairn_jobs cairn_storage cairn_mail nlohmann_json::nlohmann_json
  LABELS smtp)
target_include_directories(notify_app_test PRIVATE ${PROJECT_SOURCE_DIR}/tests)
