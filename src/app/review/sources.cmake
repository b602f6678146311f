list(APPEND APP_SOURCES review/review.cpp)
