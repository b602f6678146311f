list(APPEND HTTP_SOURCES handlers/review_handlers.cpp)
list(APPEND HTTP_EXTRA_DEPS cairn_app)
