list(APPEND CORE_SOURCES
  identity/user.cpp
  identity/organization.cpp
  identity/tokens.cpp)
