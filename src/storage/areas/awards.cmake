list(APPEND STORAGE_SOURCES sql_award_repository.cpp)
