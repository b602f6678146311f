list(APPEND STORAGE_SOURCES identity_repository.cpp)
