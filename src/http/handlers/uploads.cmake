list(APPEND HTTP_SOURCES handlers/upload_handlers.cpp)
list(APPEND HTTP_EXTRA_DEPS cairn_app)
