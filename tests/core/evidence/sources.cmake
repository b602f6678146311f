list(APPEND CORE_TEST_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/codec_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/max_attempts_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rules_test.cpp)
