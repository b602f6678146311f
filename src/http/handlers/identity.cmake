list(APPEND HTTP_SOURCES
  handlers/identity_middleware.cpp
  handlers/identity_handlers.cpp)
list(APPEND HTTP_EXTRA_DEPS cairn_app)
