cairn_add_test(NAME evidence_app_test
  SOURCES evidence/seed_demo_test.cpp
  DEPS cairn_app cairn_storage
  LABELS db)
