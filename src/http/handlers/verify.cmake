list(APPEND HTTP_SOURCES handlers/verify_handlers.cpp)
list(APPEND HTTP_EXTRA_DEPS cairn_credentials)
