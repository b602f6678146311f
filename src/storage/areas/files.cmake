list(APPEND STORAGE_SOURCES sql_file_repository.cpp)
