list(APPEND STORAGE_SOURCES sql_evidence_repository.cpp)
