list(APPEND CORE_SOURCES awards/award.cpp)
