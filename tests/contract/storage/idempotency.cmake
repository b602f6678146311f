list(APPEND STORAGE_CONTRACT_SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/idempotency_contract_dbtest.cpp)
