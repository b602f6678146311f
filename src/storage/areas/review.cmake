list(APPEND STORAGE_SOURCES sql_review_repository.cpp)
