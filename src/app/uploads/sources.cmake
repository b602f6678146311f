list(APPEND APP_SOURCES
  uploads/tus_headers.cpp
  uploads/uploads.cpp)
