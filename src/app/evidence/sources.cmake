list(APPEND APP_SOURCES
  evidence/evidence.cpp)
