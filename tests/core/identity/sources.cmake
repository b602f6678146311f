list(APPEND CORE_TEST_SOURCES
  identity/user_test.cpp
  identity/organization_test.cpp
  identity/tokens_test.cpp)
