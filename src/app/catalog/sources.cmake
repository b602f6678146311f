list(APPEND APP_SOURCES
  catalog/catalog.cpp
  catalog/markdown.cpp)
list(APPEND APP_EXTRA_DEPS PkgConfig::CMARK ${CMARK_EXTENSIONS})
