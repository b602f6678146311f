list(APPEND CORE_TEST_SOURCES
  catalog/codec_test.cpp
  catalog/demo_data_test.cpp
  catalog/micro_credential_test.cpp
  catalog/rubric_test.cpp
  catalog/text_test.cpp
  catalog/validation_test.cpp)
