list(APPEND CORE_SOURCES
  catalog/codec.cpp
  catalog/micro_credential.cpp
  catalog/repository.cpp
  catalog/rubric.cpp
  catalog/text.cpp
  catalog/validation.cpp)
