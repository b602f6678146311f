list(APPEND STORAGE_SOURCES sql_idempotency_store.cpp)
