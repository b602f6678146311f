list(APPEND HTTP_SOURCES handlers/catalog_handlers.cpp)
list(APPEND HTTP_EXTRA_DEPS cairn_app)
