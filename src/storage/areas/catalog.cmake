list(APPEND STORAGE_SOURCES catalog_repository.cpp)
