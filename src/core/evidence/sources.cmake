list(APPEND CORE_SOURCES
  evidence/codec.cpp
  evidence/evidence.cpp
  evidence/rules.cpp)
