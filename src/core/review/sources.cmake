list(APPEND CORE_SOURCES review/assignment.cpp)
