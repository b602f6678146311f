list(APPEND APP_SOURCES
  credentials/open_badge.cpp
  credentials/key_vault.cpp
  credentials/credentials.cpp)
list(APPEND APP_EXTRA_DEPS PkgConfig::SODIUM)
