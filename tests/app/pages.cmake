cairn_add_test(NAME pages_app_test
  SOURCES pages/page_renderer_test.cpp pages/credential_view_test.cpp pages/live_status_cache_test.cpp
  DEPS cairn_app)
