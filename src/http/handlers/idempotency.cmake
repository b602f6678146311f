list(APPEND HTTP_SOURCES idempotency.cpp)
