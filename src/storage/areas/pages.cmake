list(APPEND STORAGE_SOURCES sql_portfolio_store.cpp)
